import type { Comment } from '../../shared/model.js';

/**
 * The blog's content, written for this example.
 *
 * Ids are not in publication order on purpose: drafts get published out of order, so the app must
 * sort by `publishedAt` rather than trust ids. Post 7 carries a hostile title and post 13 quotes an
 * XSS payload; both are used by the security tests and must stay verbatim.
 */
export interface SeedPost {
  readonly id: number;
  readonly title: string;
  readonly author: string;
  /** ISO 8601 date-time in UTC, e.g. '2026-03-14T09:30:00.000Z'. */
  readonly publishedAt: string;
  /** 'text' (default): plain-text paragraphs. 'html': paragraphs of editor-written HTML, sanitized on load. */
  readonly format?: 'text' | 'html';
  /** Paragraphs. */
  readonly body: readonly string[];
}

export type SeedComment = Comment;

export const seedPosts: readonly SeedPost[] = [
  {
    id: 1,
    title: 'Streaming SSR without losing your error boundaries',
    author: 'Kenji Watanabe',
    publishedAt: '2025-01-14T08:15:00.000Z',
    body: [
      'When we switched the product pages to streamed server rendering, time to first byte dropped by almost half. The shell of the page reached the browser while the slow recommendations query was still running, and that felt like free speed. It was not free.',
      'With a buffered render, an exception anywhere means you can still send a clean 500 page. Once the status line and the first chunk are on the wire, that option is gone. The browser has already been told everything is fine, and all you can do is decide what the rest of the document looks like.',
      'Our fix was to treat each streamed region as its own unit of failure. Every suspense boundary got a fallback that could stand in for the real content permanently, not just while loading. If the data for a region fails, the server flushes the fallback with a short note and a retry link, and the rest of the page carries on.',
      'We also moved anything that can change the status code to before the first flush. Authentication, redirects and the not-found check for the main resource all run up front. It costs a few milliseconds, but it means a 404 is always a real 404 and never a 200 with an apologetic paragraph in the middle.',
      'The last piece was logging. A streamed failure does not show up in status-code dashboards, so we emit a separate metric for every boundary that falls back. That graph turned out to be the most useful one we have for spotting flaky downstream services.',
    ],
  },
  {
    id: 2,
    title: 'The Cache-Control headers we actually ship, and why',
    author: 'Amara Okafor',
    publishedAt: '2026-02-10T14:00:00.000Z',
    format: 'html',
    body: [
      'Every few months someone on the team asks why a change did not show up in production, and the answer is almost always a cache. So we wrote down the handful of <code>Cache-Control</code> policies we use and the reason each one exists. Nothing here is clever, and that is the point.',
      'Fingerprinted assets, the scripts and stylesheets with a content hash in the file name, get <code>public, max-age=31536000, immutable</code>. The name changes whenever the content does, so there is no reason for a browser or a CDN ever to ask again. If you are tempted to put that header on a file <em>without</em> a hash in its name, don’t.',
      'HTML documents get <code>no-cache</code>, which despite the name does allow storing the response. It only forces the browser to revalidate before reuse, and with an <code>ETag</code> that round trip is usually a cheap 304. This keeps deploys visible within one page load while still saving bandwidth.',
      'Anything personalised gets <code>private, no-store</code>. We learned that one the hard way when a shared proxy at a customer’s office served one user’s account page to a colleague. Nobody saw anything sensitive, but it was close enough that we now have a test that fails if an authenticated route forgets the header.',
      'Finally, API responses that are public but change often use a short <code>max-age</code> with <code>stale-while-revalidate</code>. Readers get an instant answer, and the edge refreshes it in the background. We keep the windows small, measured in seconds, because a stale price is worse than a slow one. The <a href="https://www.rfc-editor.org/rfc/rfc9111">HTTP caching specification</a> is shorter than its reputation.',
      '<em>Editor’s note:</em> this post is stored as HTML, so it goes through the sanitizer when the server loads it.<script>alert("stored XSS")</script> A script element stood before this sentence, and <a href="javascript:alert(1)" onclick="alert(2)">this link</a> had a <code>javascript:</code> URL and a click handler; neither survived.',
    ],
  },
  {
    id: 3,
    title: 'Postmortem: the Tuesday our connection pool ran dry',
    author: 'Lukas Brandt',
    publishedAt: '2025-02-27T16:45:00.000Z',
    body: [
      'On a Tuesday afternoon in February, the API started returning timeouts for roughly one request in five. Nothing had been deployed for two days, traffic was normal, and the database itself reported plenty of headroom. It took us forty minutes to find the cause and about four minutes to fix it, which is a ratio worth thinking about.',
      'The culprit was a reporting endpoint that opened a transaction, streamed a large result to the client and only then committed. A customer on a slow connection had started downloading a year of invoices. Each of their requests held a pooled connection for the entire download, and their script retried on timeout, so the number of stuck connections kept growing.',
      'Our pool had twenty connections per instance, which had always been plenty. Once the reporting requests held most of them, ordinary requests queued behind them, waited for their acquire timeout and failed. The database looked healthy because, from its point of view, very little was happening.',
      'The immediate fix was to kill the long-running sessions and block the retry loop at the edge. The lasting fixes were less dramatic. Reports now read into a temporary file inside a short transaction and stream from disk, the pool exposes wait time as a metric, and we alert when the acquire queue is non-empty for more than a minute.',
      'The lesson we wrote on the whiteboard was that a connection pool is a shared resource with no notion of fairness. Any code path that holds a connection for as long as the client wants it is a denial of service waiting for a slow network. We now review every endpoint that streams for exactly that pattern.',
    ],
  },
  {
    id: 4,
    title: 'Where focus should go after a client-side navigation',
    author: 'Sofía Ramírez',
    publishedAt: '2025-03-19T11:20:00.000Z',
    body: [
      'When a server renders a new page, the browser resets focus to the top of the document and screen readers announce the new title. A client-side router replaces the content without any of that. Unless you do something deliberate, a keyboard user who activates a link is left focused on an element that may no longer exist.',
      'We tried three approaches over the years. The first moved focus to the body, which technically works but announces nothing useful. The second moved focus to the main heading of the new page, which is better, but it made the heading a tab stop and confused sighted keyboard users who saw an unexpected focus ring.',
      'What we settled on is a visually hidden live region that announces the new page title, combined with moving focus to the main heading with its tabindex set to minus one. The negative tabindex lets us focus the heading from code without adding it to the tab order. We also hide the focus ring on that heading unless the user is navigating by keyboard.',
      'There are exceptions. Filtering a list or paging through search results should not steal focus at all, because the user is still in the middle of a task. For those we only update the live region with the number of results.',
      'None of this is hard to build, but it is easy to forget. We now have an end-to-end test that navigates with the keyboard alone and checks where focus lands after every route change.',
    ],
  },
  {
    id: 5,
    title: 'CSS grid layouts that survive real content',
    author: 'Ingrid Solberg',
    publishedAt: '2026-01-22T08:40:00.000Z',
    body: [
      'Design mockups are full of short names and product titles that fit on one line. Production is full of German compound nouns, company names in capitals and translated button labels twice as long as the English ones.',
      'Our card grid used to be four fixed columns with a media query for smaller screens. It now uses repeat(auto-fill, minmax(16rem, 1fr)), which lets the browser decide how many columns fit. The cards reflow at whatever width the container happens to be, and we deleted three breakpoints.',
      'The other change was to stop fighting minimum sizes. A grid item will not shrink below the minimum width of its content by default, which is why a single long URL can blow out an entire layout. Setting min-width: 0 on the item, and overflow-wrap: anywhere on text that might contain unbroken strings, fixed most of the horizontal scrolling bugs we had open.',
      'We also test with deliberately awkward fixtures. Our component stories include a title of two hundred characters, a name without spaces and a right-to-left paragraph. They look terrible, which is exactly why they catch problems before users do.',
    ],
  },
  {
    id: 6,
    title: 'A performance budget the whole team can read',
    author: 'Priya Raghavan',
    publishedAt: '2025-04-30T13:05:00.000Z',
    body: [
      'Our first performance budget was a JSON file with twelve metrics, enforced by a CI job that nobody understood. When it failed, people raised the thresholds until it passed. After a year the budget described whatever the site already did, which is not a budget at all.',
      'The second attempt started from a question a product manager could answer: how long should a returning customer wait before they can search? We agreed on two seconds on a mid-range phone over a decent mobile connection. Everything else in the budget is derived from that sentence.',
      'From that target we worked backwards to three numbers: the JavaScript shipped on the landing page, the size of the largest image above the fold and the server response time for the search endpoint. Each number has an owner, and each owner can explain in one line why it is set where it is.',
      'The CI check still exists, but its failure message now says which of the three numbers moved, by how much and who to talk to. Raising a threshold requires a short note in the pull request. In practice most regressions get fixed instead, because writing the note is more work than removing the extra dependency.',
      'We review the budget every quarter against field data rather than lab runs. Twice we have tightened it, and once we loosened it because a new feature was worth the cost. The important part is that each decision was made on purpose.',
    ],
  },
  {
    id: 7,
    title: 'Why </script><script>alert(1)</script> in a title is harmless here',
    author: 'Daniel Cohen',
    publishedAt: '2025-05-14T07:50:00.000Z',
    body: [
      'The title of this post is deliberately hostile. If you are reading it as plain text and no alert box appeared, the page did what it is supposed to do. The post exists so that our own tests have something nasty to render on every build.',
      'Every piece of text that reaches the page, whether it is a title, an author name or a paragraph like this one, is inserted as text and never as markup. The framework escapes angle brackets, ampersands and quotes before anything is written into the HTML. A closing script tag inside a title is therefore just a handful of characters on the screen.',
      'The subtler risk is the application state that the server embeds in the page so that the browser can pick up where the server left off. That state is JSON inside a script element, and a naive serializer would let the closing tag in this title end the script early. The framework serializes the state so that less-than signs and other dangerous characters are written as escape sequences, which keeps the JSON valid and the script element intact.',
      'We do not rely on one layer alone. The page carries no inline script at all: the state is a JSON data block and the code arrives as an external module file, so the Content Security Policy can allow scripts from this site only and refuse every inline one. Even a mistake in escaping would be stopped by the browser. But the escaping is the part that has to be right, and this post is how we check it.',
    ],
  },
  {
    id: 8,
    title: 'Modelling checkout as a state machine',
    author: 'Mateus Carvalho',
    publishedAt: '2025-06-17T15:30:00.000Z',
    body: [
      'Our checkout page had eleven boolean flags: isLoading, hasError, isSubmitting, showAddressForm and seven more. In theory that allows two thousand combinations, and we had bug reports for a surprising number of them. The worst one let a customer press Pay twice while the first payment was still being authorised.',
      'We rewrote it as an explicit state machine with six states: editing, validating, ready, paying, confirmed and failed. Every event the page can receive is handled by a single function that takes the current state and returns the next one. If an event makes no sense in the current state, such as a second Pay click while paying, it is simply ignored.',
      'The immediate benefit was that impossible states became unrepresentable. There is no way to be both paying and editing, because the state is a single value and not a bag of flags. The less obvious benefit was in testing: we can enumerate every state and every event and check that each transition does something sensible, without rendering anything.',
      'It was not all smooth. Asynchronous work, like the call to the payment provider, does not fit neatly inside a pure transition function. We ended up returning a description of the effect from the transition and running it outside, feeding the result back in as a new event. That separation felt like ceremony at first and now feels like the only sane way to do it.',
      'The double-payment bug is gone, and so is most of the code that used to guard against it. The state machine is shorter than the flags it replaced.',
    ],
  },
  {
    id: 9,
    title: 'Blue-green deploys with only two servers',
    author: 'Fatima Zahra Benali',
    publishedAt: '2025-07-09T09:10:00.000Z',
    body: [
      'Blue-green deployment is usually explained with load balancers, autoscaling groups and a diagram full of arrows. We run a small service on two virtual machines behind one reverse proxy, and we wanted the same guarantee: switch to a new version instantly, and switch back just as fast.',
      'Each machine runs two copies of the application on different ports, one labelled blue and one green. A deploy installs the new build into whichever colour is idle, starts it and waits for its health check to pass. Only then does a script rewrite the proxy’s upstream block and reload the proxy, which takes well under a second and does not drop open connections.',
      'The old colour keeps running for an hour after the switch. If error rates climb, rolling back is the same script pointed at the other colour. We have used it four times in a year, and each rollback finished before anyone had finished typing the message in the incident channel.',
      'The catch is the database. Both colours talk to the same database, so every schema change has to work with the previous release as well as the new one. That constraint shaped how we write migrations far more than the deploy script itself did.',
    ],
  },
  {
    id: 10,
    title: 'Tests that fail for exactly one reason',
    author: 'Amara Okafor',
    publishedAt: '2025-08-01T12:00:00.000Z',
    body: [
      'A test suite earns trust when a red result tells you what broke. Ours had drifted the other way. A single change to the date formatting helper failed forty tests across six files, and it took an afternoon to confirm that thirty-nine of them were collateral damage.',
      'The fix was a rule we now apply in review. Each test should have one reason to fail, and its name should say what that reason is. A test called “renders the dashboard” is not allowed; a test called “shows the overdue badge once the due date has passed” is fine.',
      'Following the rule pushed setup out of the tests and into small builders that produce valid data by default. A test that cares about the due date sets the due date and nothing else. When the formatting helper changes, only the tests about formatting notice.',
      'We also stopped asserting on whole rendered snapshots, except for a few layout smoke tests. Snapshots fail for every reason at once, which is the opposite of what we wanted. Targeted assertions take longer to write and far less time to maintain.',
      'The suite is slightly larger now and noticeably quieter. When it goes red, the name of the first failing test usually tells you what to fix before you even open the file.',
    ],
  },
  {
    id: 11,
    title: 'Indexes we added, and the ones we dropped',
    author: 'Lukas Brandt',
    publishedAt: '2025-07-28T17:25:00.000Z',
    body: [
      'Adding an index is the most common performance fix in our codebase, and it is rarely questioned in review. Last quarter we audited every index on our three busiest tables. We found twenty-three and removed nine.',
      'Some were exact duplicates created by two migrations years apart. Others were single-column indexes made redundant by a composite index that started with the same column. A few had been added for a report that no longer existed, and the statistics showed they had not been used since the last server restart, months earlier.',
      'Every index costs something on write. The orders table takes thousands of inserts an hour, and each of them updated all eleven of its indexes. After the cleanup, insert latency at the ninety-ninth percentile fell by about a third, and the nightly vacuum finished before the morning traffic started.',
      'We also added two. The query behind the order history page filtered by customer and sorted by creation date, and for large customers it had been reading and sorting every order they ever placed. A composite index on customer id and creation date turned a three-hundred-millisecond query into a three-millisecond one.',
      'The audit is now a recurring calendar entry. It takes an afternoon, and it is one of the few maintenance tasks whose result shows up on a graph the next day.',
    ],
  },
  {
    id: 12,
    title: 'Ünïcödé slugs, emoji 🚀 and the URL bar',
    author: 'Kenji Watanabe',
    publishedAt: '2025-09-12T10:05:00.000Z',
    body: [
      'Our article slugs used to be generated by stripping everything that was not a lowercase ASCII letter or digit. That works beautifully for English titles and terribly for everything else. A Japanese title became an empty string, and a Turkish one lost half its letters.',
      'Browsers are perfectly happy with non-ASCII paths. The address bar shows the readable characters, while the request on the wire carries percent-encoded UTF-8. So we now keep letters from any script, lowercase them with locale-independent rules and only replace whitespace and punctuation with hyphens.',
      'Normalization mattered more than we expected. The same accented letter can be written as a single code point or as a base letter followed by a combining mark, and the two look identical. We normalize every slug to NFC before storing it; otherwise two URLs that look the same can point at different records, or at nothing.',
      'Emoji were the last argument. We decided to drop them from slugs, not because they break anything, but because people read URLs aloud on calls and nobody knows how to say “rocket” in a way a colleague can type. The emoji stays in the title, where it belongs.',
    ],
  },
  {
    id: 13,
    title: 'Content Security Policy, one directive at a time',
    author: 'Daniel Cohen',
    publishedAt: '2025-10-06T14:45:00.000Z',
    body: [
      'A Content Security Policy is easiest to adopt in small steps. Switching on a strict policy in one go on an existing site will break something, and the usual reaction is to add unsafe-inline and move on. We took three months instead and ended up with a policy we actually trust.',
      'We started in report-only mode with default-src set to self and watched the violation reports for two weeks. Most of the noise came from browser extensions injecting their own scripts, which we learned to filter out. The real violations were a chat widget, an analytics snippet and a surprising number of inline event handlers in old templates.',
      'The inline handlers were the interesting part. A penetration tester once showed us a comment containing <img src=x onerror=alert(1)>, and on one legacy page it ran, because that page built its HTML by concatenating strings. We fixed the escaping at the time, but a strict script-src with a nonce would have stopped the payload even without the fix, since the onerror attribute counts as an inline script.',
      'Moving the handlers into proper script files and adding a per-request nonce to the few inline scripts we kept took most of the time. After that, switching from report-only to enforcing was a one-line change. The violation reports are still on, and a sudden spike in them is one of our security alerts.',
    ],
  },
  {
    id: 14,
    title: 'Hydration mismatches: a field guide',
    author: 'Sofía Ramírez',
    publishedAt: '2025-10-30T16:00:00.000Z',
    body: [
      'A hydration mismatch happens when the HTML the server sent does not match what the client renders on its first pass. Depending on the framework, you get a console warning, a flash of changed content or a subtree thrown away and rebuilt. All three are worth fixing, and most come from one of a few causes.',
      'The most common cause is time. A component that prints a relative date such as “five minutes ago” renders one thing on the server and something slightly different a moment later in the browser. The fix is to render the absolute timestamp on both sides and switch to the relative form after hydration.',
      'The second cause is anything read from the browser during render: the window size, local storage, the user’s time zone. The server cannot know these values, so it guesses, and the guess is often wrong. Reading them in an effect that runs after mounting keeps the first client render identical to the server’s.',
      'The third is invalid HTML. A div inside a paragraph, or a table row without a table body, gets silently repaired by the browser’s parser, and the repaired tree no longer matches what the framework expects. These are the hardest to spot because the source looks fine, yet running the server output through a validator finds them in seconds.',
      'Finally, random values. Generating an id with Math.random during render guarantees a mismatch. Derive ids from stable data, or use the framework’s own id helper, which produces the same value on both sides.',
    ],
  },
  {
    id: 15,
    title: 'Retry budgets and the thundering herd',
    author: 'Priya Raghavan',
    publishedAt: '2025-11-18T11:35:00.000Z',
    body: [
      'Retries feel like a free reliability improvement. A request fails, you try again, and most of the time the second attempt succeeds. The trouble starts when every client does that at once against a service that failed because it was overloaded in the first place.',
      'During one incident, a dependency slowed down for about thirty seconds. Our services each retried three times with a fixed delay, so the dependency received four times its normal traffic exactly when it could least handle it. A slowdown became an outage that lasted twenty minutes.',
      'We changed two things. First, retries now use exponential backoff with full jitter, so clients spread their attempts out instead of arriving in synchronised waves. Second, each client keeps a retry budget: retries may not exceed ten percent of its recent successful requests, and once the budget is spent, failures are returned immediately.',
      'The budget is the part that matters. Backoff lowers the peak, but only a budget caps the total extra load a struggling service receives. It also makes failures fast, which upstream callers handle much better than slow ones.',
      'We now rehearse this in a load test before every release: inject latency into a dependency and watch whether the traffic it receives stays flat. If it climbs, someone has added a retry loop without a budget.',
    ],
  },
  {
    id: 16,
    title: 'Writing alt text that actually helps',
    author: 'Ingrid Solberg',
    publishedAt: '2025-09-25T08:55:00.000Z',
    body: [
      'Alt text is easy to add and surprisingly hard to write well. An image described as “image”, or by its file name, passes an automated audit and helps nobody. Good alt text depends on why the image is on the page, not only on what it shows.',
      'For a product photo, describe what a buyer would want to know: colour, material, the detail the photo is meant to show. For a chart, state the conclusion the chart supports, and link to the data if readers will want exact figures. For a purely decorative flourish, use an empty alt attribute so that screen readers skip it entirely.',
      'It helps to write the alt text together with the surrounding copy rather than afterwards. If the paragraph next to the image already says everything, the image is probably decorative. If the image shows something the text does not, the alt text is where that information goes.',
      'Our CMS now asks for alt text as a required field with a short hint, and the hint changes with the type of image. Editors told us the hint was more useful than any training session we had run.',
    ],
  },
  {
    id: 17,
    title: 'Every feature flag needs an expiry date',
    author: 'Mateus Carvalho',
    publishedAt: '2025-12-09T13:15:00.000Z',
    body: [
      'Feature flags let us ship code before we ship features, and we rely on them daily. They also pile up. When we counted last autumn, the codebase had a hundred and forty flags, and fewer than thirty were still being toggled by anyone.',
      'Each stale flag is a branch in the code that nobody tests anymore. Half of the old paths would not even work against the current data model if someone flipped the switch. They were not safety nets; they were traps.',
      'Now every flag is created with an owner and an expiry date, stored next to its definition. A week before the date, the owner gets a reminder. After the date, the build prints a warning for each expired flag, and two weeks later the warning becomes an error.',
      'That sounds strict, and some people grumbled at first. But extending a flag takes a one-line change with a reason, so nothing is ever removed in a hurry. What changed is that keeping a flag is now a decision someone makes, rather than something that happens by default.',
      'We are down to thirty-five flags. Removing the rest deleted about nine thousand lines of code.',
    ],
  },
  {
    id: 18,
    title: 'Expand, migrate, contract: schema changes without downtime',
    author: 'Fatima Zahra Benali',
    publishedAt: '2026-01-13T10:30:00.000Z',
    body: [
      'Renaming a column sounds like a one-line migration. In a system where the old and new versions of the application run side by side during a deploy, it takes at least three releases. We follow a pattern usually called expand and contract, and it has taken schema changes off our list of deploy risks.',
      'In the expand step we add the new column and have the application write to both the old and the new one, while still reading from the old. Nothing reads the new column yet, so a rollback is harmless. A background job then copies existing rows across in small batches to avoid long locks.',
      'Once the backfill is done and verified, a second release switches reads to the new column. It still writes to both, so the previous release keeps working if we need to roll back. We usually leave things in this state for a few days.',
      'The contract step stops writing to the old column and, in a later migration, drops it. By then nothing has read it for a week, and dropping it is an anticlimax. That is the goal: every individual step should be boring.',
      'The pattern is slower than a single migration, and people sometimes ask whether a small rename really needs it. Our answer is that the cost is a few extra pull requests, and the alternative is an outage that starts exactly when someone deploys.',
    ],
  },
  {
    id: 19,
    title: 'What our p99 latency was hiding',
    author: 'Kenji Watanabe',
    publishedAt: '2026-01-29T07:20:00.000Z',
    body: [
      'For a year our main dashboard showed a healthy p99 latency of about four hundred milliseconds, and customers still said the app felt slow. Both things were true.',
      'A page in our app makes about twenty API calls. If each one has a one percent chance of being slow, a large share of page loads include at least one slow call. The p99 of individual requests told us very little about what a person waiting for a page experienced.',
      'We started measuring user actions instead: the time from a click to the moment the page stops changing. That number, collected from real browsers, had a p75 worse than our request p99. It was a sobering graph to put in front of the team.',
      'The fixes were mostly about reducing fan-out. We merged several small calls into one endpoint shaped for the page, and moved two slow, rarely used panels behind their own loading states. The request-level dashboard barely moved, but the user-level one improved by almost half.',
    ],
  },
  {
    id: 20,
    title: 'Container queries in a shared component library',
    author: 'Ingrid Solberg',
    publishedAt: '2026-02-17T15:50:00.000Z',
    body: [
      'Media queries ask how wide the screen is, which is the wrong question for a reusable component. The same card might sit in a full-width list on one page and in a narrow sidebar on another. For years we handled that with modifier classes that callers had to remember to add.',
      'Container queries let the component ask how wide its own container is. We mark the wrapper of each layout slot with container-type: inline-size, and the card styles itself from that width. Callers no longer choose between compact and wide variants; the card picks the right one.',
      'The migration took a few weeks, mostly spent deleting modifier classes and the props that toggled them. We kept a small fallback for older browsers that simply shows the compact layout everywhere. Nobody has reported it, which suggests few of our users still see it.',
      'One thing caught us out. An element that establishes a size container can no longer take its size in that direction from its contents, so a wrapper that used to shrink to fit its children suddenly collapsed. Moving the container to an outer element that already had a defined width solved it.',
    ],
  },
  {
    id: 21,
    title: 'Keyboard-only Fridays',
    author: 'Sofía Ramírez',
    publishedAt: '2026-03-04T12:40:00.000Z',
    body: [
      'Once a month, on a Friday afternoon, everyone on the front-end team unplugs their mouse for an hour and tries to complete a few ordinary tasks in our product. It started as a one-off exercise and became a habit because it keeps finding real problems.',
      'The first session was humbling. A date picker could be opened but not closed without a mouse, a modal let focus escape to the page behind it, and a custom dropdown ignored the arrow keys entirely. None of these had been caught by our automated accessibility checks, because those checks cannot tell whether an interaction makes sense.',
      'We keep a shared list of what we find, ranked by how badly it blocks a task. Anything that stops someone from finishing a task goes into the next sprint. Annoyances, like a focus ring that is hard to see on a dark background, are batched into a monthly cleanup.',
      'The habit has changed how people build things. Developers now tab through a new component before opening a pull request, because they know it will be tried on a Friday anyway. The list of findings has been getting shorter for six months in a row.',
    ],
  },
  {
    id: 22,
    title: 'Stale-while-revalidate in practice',
    author: 'Amara Okafor',
    publishedAt: '2025-12-22T09:45:00.000Z',
    body: [
      'The stale-while-revalidate directive lets a cache serve a slightly old response immediately while it fetches a fresh one in the background. On paper it is the best of both worlds. In practice it needs a few guard rails to behave the way you expect.',
      'The first surprise was that not every layer honours it. Our CDN did and browsers did, but an internal caching proxy between the two ignored the directive and treated responses as plainly expired. Requests that should have been instant were waiting on the origin, and it took a packet capture to notice.',
      'The second was that background revalidation still reaches the origin. If a popular response expires on every edge node at once, the origin receives a burst of revalidation requests. Varying the max-age slightly per route, and making sure the origin answers conditional requests with cheap 304 responses, kept that manageable.',
      'We also decided which content may be stale at all. Article pages and product listings are fine a minute out of date. Stock levels and prices are not, so they are fetched separately with no stale window, and the page around them can still be cached.',
    ],
  },
  {
    id: 23,
    title: 'Structured logs you can search at three in the morning',
    author: 'Lukas Brandt',
    publishedAt: '2026-03-14T09:30:00.000Z',
    body: [
      'During an incident, nobody reads logs. They search them, usually tired and under pressure, for one customer, one request or one error. Our old logs were sentences written for a human watching a terminal, and searching them meant writing regular expressions at the worst possible moment.',
      'We moved to structured logs. Every line is a JSON object with a fixed set of fields, including the time, the level, the service, a request id and a short event name. Free-form text is still allowed in a message field, but anything you might want to filter on gets a field of its own.',
      'The event names took discipline. We keep them short, stable and consistently in the past tense, such as payment.authorised or session.expired. Because they rarely change, they can be used in saved searches and alerts without breaking every time someone rewords a message.',
      'The request id does most of the work. It is generated at the edge, passed to every service in a header and attached to every log line. Given one failing request from a customer’s screenshot, we can reconstruct its path through five services with a single query.',
      'We were just as careful about what not to log. Tokens, passwords and card numbers are removed by the logger itself, before anything is written, so a careless log statement cannot leak them.',
    ],
  },
  {
    id: 24,
    title: 'Property-based tests found three bugs in our date parser',
    author: 'Daniel Cohen',
    publishedAt: '2026-04-02T18:05:00.000Z',
    body: [
      'Our date parser had a hundred and twenty example-based tests, all green. It accepted ISO dates, a few regional formats and relative phrases like “next Monday”. We were confident in it until we tried generating inputs instead of writing them by hand.',
      'A property-based test states a rule that must hold for every input and lets a library generate hundreds of random cases to try to break it. Our first property was simple: formatting any valid date and parsing the result must give back the same date. It failed within a second.',
      'The first bug was at the end of February in leap years, where one code path added a day before checking the length of the month. The second involved dates before the year 1000, which our formatter printed with three digits and our parser rejected. The third was a time zone offset of plus fourteen hours, which is real and which we had assumed could not exist.',
      'What impressed us most was the shrinking. When the library finds a failing case, it simplifies it to the smallest input that still fails, so instead of a random timestamp in the year 2741 we got the twenty-ninth of February and nothing else. Each failure arrived as a ready-made regression test.',
      'We kept the example tests. They document the formats we promise to support, while the properties guard the rules that must hold everywhere.',
    ],
  },
];

export const seedComments: readonly SeedComment[] = [
  // Post 1
  {
    id: 1,
    postId: 1,
    author: 'Tomasz Nowak',
    body: 'Moving redirects before the first flush is the tip I wish I had read a year ago. We served a 200 with a login form embedded in it for weeks before anyone noticed.',
    createdAt: '2025-01-14T10:02:00.000Z',
  },
  {
    id: 2,
    postId: 1,
    author: 'Aisha Bello',
    body: 'Is the retry link in the fallback a plain anchor, so it works without JavaScript? That was our main worry with streamed error states.',
    createdAt: '2025-01-15T19:40:00.000Z',
  },
  {
    id: 3,
    postId: 1,
    author: 'Kenji Watanabe',
    body: 'Yes, it is a plain link to the same URL. With JavaScript it retries just that region; without it, the whole page reloads.',
    createdAt: '2025-01-16T08:05:00.000Z',
  },
  // Post 2
  {
    id: 4,
    postId: 2,
    author: 'Wei Zhang',
    body: 'The private, no-store story is alarming and very familiar. Corporate proxies do things nobody expects.',
    createdAt: '2026-02-10T16:20:00.000Z',
  },
  {
    id: 5,
    postId: 2,
    author: 'Niamh O’Connor',
    body: 'Worth adding that no-cache on HTML only helps if the server sends a validator. We had no-cache without ETags for a year, and every request was a full download.',
    createdAt: '2026-02-11T09:12:00.000Z',
  },
  {
    id: 6,
    postId: 2,
    author: 'Amara Okafor',
    body: 'Good point, thank you. Our framework adds ETags by default, so I forgot it was even a step.',
    createdAt: '2026-02-11T13:30:00.000Z',
  },
  // Post 3
  {
    id: 7,
    postId: 3,
    author: 'Rafael Souza',
    body: 'Thanks for publishing this so quickly. The acquire-queue alert is a great idea; we only alert on pool exhaustion, which is already too late.',
    createdAt: '2025-02-27T18:03:00.000Z',
  },
  {
    id: 8,
    postId: 3,
    author: 'Hannah Lindqvist',
    body: 'Did you consider a separate pool for the reporting endpoints? That is how we isolated ours.',
    createdAt: '2025-02-27T21:47:00.000Z',
  },
  {
    id: 9,
    postId: 3,
    author: 'Lukas Brandt',
    body: 'We did, and we may still do it. Writing to a temporary file fixed the immediate problem without adding another pool to tune, so we started there.',
    createdAt: '2025-02-28T08:15:00.000Z',
  },
  {
    id: 10,
    postId: 3,
    author: 'Oluwaseun Adeyemi',
    body: 'Forty minutes to find and four minutes to fix is painfully relatable. What finally pointed you at the reporting endpoint?',
    createdAt: '2025-02-28T12:30:00.000Z',
  },
  {
    id: 11,
    postId: 3,
    author: 'Lukas Brandt',
    body: 'The list of active sessions in the database. Every long-running one was idle in a transaction, and they all showed the same query.',
    createdAt: '2025-02-28T14:02:00.000Z',
  },
  {
    id: 12,
    postId: 3,
    author: 'Marta Kowalczyk',
    body: 'We printed the last paragraph and pinned it next to the on-call runbook. Short, true and easy to forget.',
    createdAt: '2025-03-03T10:25:00.000Z',
  },
  // Post 4
  {
    id: 13,
    postId: 4,
    author: 'Arjun Mehta',
    body: 'The line between a new page and a filtered list is really helpful. We have been moving focus on every filter change, and users hated it.',
    createdAt: '2025-03-19T14:10:00.000Z',
  },
  {
    id: 14,
    postId: 4,
    author: 'Elena Petrova',
    body: 'Have you tried the live region with more than one screen reader? We found that some announce the title twice when focus also moves to the heading.',
    createdAt: '2025-03-20T09:00:00.000Z',
  },
  {
    id: 15,
    postId: 4,
    author: 'Sofía Ramírez',
    body: 'We have, and we saw the same double announcement in one of them. Delaying the live region update slightly fixed it for us, though it is a workaround rather than a principled answer.',
    createdAt: '2025-03-20T16:45:00.000Z',
  },
  // Post 6
  {
    id: 16,
    postId: 6,
    author: 'Samuel Osei',
    body: 'Deriving everything from one sentence a product manager agreed to is the smartest part. Budgets without a reason behind them always get raised.',
    createdAt: '2025-04-30T15:33:00.000Z',
  },
  {
    id: 17,
    postId: 6,
    author: 'Yuki Tanaka',
    body: 'Which phone do you use as the mid-range reference? We keep arguing about ours.',
    createdAt: '2025-05-02T07:48:00.000Z',
  },
  // Post 7
  {
    id: 18,
    postId: 7,
    author: 'Jonas Weber',
    body: 'Opened this expecting an alert box and got a very calm page instead. Nice.',
    createdAt: '2025-05-14T08:30:00.000Z',
  },
  {
    id: 19,
    postId: 7,
    author: 'Leila Haddad',
    body: 'The serialized state is the part people miss. Escaping templates is common knowledge now, but JSON inside a script tag still catches teams out.',
    createdAt: '2025-05-14T12:15:00.000Z',
  },
  {
    id: 20,
    postId: 7,
    author: 'Carlos Mendoza',
    body: 'Does the nonce change on every request, even for cached pages? I have never been sure how that works with a CDN in front.',
    createdAt: '2025-05-15T18:20:00.000Z',
  },
  {
    id: 21,
    postId: 7,
    author: 'Daniel Cohen',
    body: 'It does, which means a page with a nonce cannot be cached whole at the edge. We cache the data instead and render per request.',
    createdAt: '2025-05-16T09:05:00.000Z',
  },
  // Post 8
  {
    id: 22,
    postId: 8,
    author: 'Ana Lima',
    body: 'Returning a description of the effect instead of running it was the same turning point for us. Testing became so much easier.',
    createdAt: '2025-06-17T17:45:00.000Z',
  },
  {
    id: 23,
    postId: 8,
    author: 'Noah Fischer',
    body: 'Eleven booleans is a lot, but I have seen worse. Our old signup flow had a flag called isReallyDone.',
    createdAt: '2025-06-18T10:10:00.000Z',
  },
  // Post 9
  {
    id: 24,
    postId: 9,
    author: 'Tomasz Nowak',
    body: 'A simple and honest setup. Do you keep the idle colour running all the time, or only around deploys?',
    createdAt: '2025-07-09T13:55:00.000Z',
  },
  // Post 10
  {
    id: 25,
    postId: 10,
    author: 'Hannah Lindqvist',
    body: 'We adopted the naming rule after reading this. It started plenty of good arguments in review.',
    createdAt: '2025-08-01T13:20:00.000Z',
  },
  {
    id: 26,
    postId: 10,
    author: 'Wei Zhang',
    body: 'Builders with valid defaults changed our test suite more than any framework migration did.',
    createdAt: '2025-08-02T08:40:00.000Z',
  },
  {
    id: 27,
    postId: 10,
    author: 'Marta Kowalczyk',
    body: 'Agreed on snapshots, although they still earn their keep for catching accidental changes in generated files.',
    createdAt: '2025-08-04T15:05:00.000Z',
  },
  // Post 11
  {
    id: 28,
    postId: 11,
    author: 'Arjun Mehta',
    body: 'Statistics that reset on restart are a trap. We nearly dropped an index that only the year-end report used.',
    createdAt: '2025-07-29T09:30:00.000Z',
  },
  {
    id: 29,
    postId: 11,
    author: 'Lukas Brandt',
    body: 'Very true. We now save a snapshot of the usage statistics before every restart, so an audit can look further back than the last reboot.',
    createdAt: '2025-07-29T11:45:00.000Z',
  },
  // Post 12
  {
    id: 30,
    postId: 12,
    author: 'Yuki Tanaka',
    body: 'As someone whose titles used to turn into empty slugs: thank you.',
    createdAt: '2025-09-12T11:00:00.000Z',
  },
  {
    id: 31,
    postId: 12,
    author: 'Elena Petrova',
    body: 'The NFC point bit us with Cyrillic names pasted from a word processor. Two rows, the same visible name, different bytes.',
    createdAt: '2025-09-12T15:25:00.000Z',
  },
  {
    id: 32,
    postId: 12,
    author: 'Jonas Weber',
    body: 'How do you handle the Turkish dotted and dotless i when lowercasing?',
    createdAt: '2025-09-13T08:50:00.000Z',
  },
  {
    id: 33,
    postId: 12,
    author: 'Kenji Watanabe',
    body: 'We lowercase without a locale, so the result is predictable but not always what a Turkish reader would choose. For slugs, we decided predictability wins.',
    createdAt: '2025-09-13T12:10:00.000Z',
  },
  {
    id: 34,
    postId: 12,
    author: 'Leila Haddad',
    body: 'Right-to-left titles are another fun one. The address bar can reorder the path segments visually, which confuses people who try to edit the URL.',
    createdAt: '2025-09-15T19:30:00.000Z',
  },
  // Post 13
  {
    id: 35,
    postId: 13,
    author: 'Carlos Mendoza',
    body: 'Three months sounds long, but I have seen a one-day rollout break checkout for a week. The slow way is the fast way.',
    createdAt: '2025-10-06T16:10:00.000Z',
  },
  {
    id: 36,
    postId: 13,
    author: 'Samuel Osei',
    body: 'How do you filter the extension noise out of the reports? Ninety percent of ours come from extension scripts.',
    createdAt: '2025-10-07T09:35:00.000Z',
  },
  {
    id: 37,
    postId: 13,
    author: 'Daniel Cohen',
    body: 'Mostly by the source of the blocked script. Extensions load from their own URL schemes, and we drop those reports before storing them.',
    createdAt: '2025-10-07T13:20:00.000Z',
  },
  // Post 14
  {
    id: 38,
    postId: 14,
    author: 'Niamh O’Connor',
    body: 'The invalid HTML section saved me an afternoon. It was a div inside a paragraph, exactly as described.',
    createdAt: '2025-10-31T10:05:00.000Z',
  },
  {
    id: 39,
    postId: 14,
    author: 'Rafael Souza',
    body: 'The time zone one is sneaky. Our server renders in UTC and half the team is in Brazil, so dates near midnight were always a day off.',
    createdAt: '2025-11-01T17:40:00.000Z',
  },
  // Post 15
  {
    id: 40,
    postId: 15,
    author: 'Oluwaseun Adeyemi',
    body: 'Ten percent of recent successes is a nice, explainable number. Did you arrive at it by experiment or by feel?',
    createdAt: '2025-11-18T14:50:00.000Z',
  },
  // Post 17
  {
    id: 41,
    postId: 17,
    author: 'Ana Lima',
    body: 'Nine thousand deleted lines is a wonderful number to show at a sprint review.',
    createdAt: '2025-12-09T15:00:00.000Z',
  },
  {
    id: 42,
    postId: 17,
    author: 'Noah Fischer',
    body: 'Turning the warning into an error is the step most teams would not dare to take. Respect.',
    createdAt: '2025-12-10T08:25:00.000Z',
  },
  {
    id: 43,
    postId: 17,
    author: 'Mateus Carvalho',
    body: 'It helped that the error only fails the build on the main branch. Feature branches keep building, so nobody gets stuck halfway through a task.',
    createdAt: '2025-12-10T11:40:00.000Z',
  },
  // Post 18
  {
    id: 44,
    postId: 18,
    author: 'Tomasz Nowak',
    body: 'How big are your backfill batches? We found the right size depended heavily on the table.',
    createdAt: '2026-01-13T12:15:00.000Z',
  },
  {
    id: 45,
    postId: 18,
    author: 'Fatima Zahra Benali',
    body: 'It varies for us too. We start at a thousand rows and let the job adjust the size based on how long each batch takes.',
    createdAt: '2026-01-13T16:00:00.000Z',
  },
  // Post 19
  {
    id: 46,
    postId: 19,
    author: 'Hannah Lindqvist',
    body: 'Every team should do the fan-out arithmetic once. It explains so many confusing dashboards.',
    createdAt: '2026-01-29T09:45:00.000Z',
  },
  // Post 21
  {
    id: 47,
    postId: 21,
    author: 'Elena Petrova',
    body: 'We tried this after reading the post. Our first finding was a skip link pointing at an element that no longer existed.',
    createdAt: '2026-03-04T14:30:00.000Z',
  },
  {
    id: 48,
    postId: 21,
    author: 'Arjun Mehta',
    body: 'I love that it is a habit rather than an audit. Audits end; habits stick.',
    createdAt: '2026-03-05T10:15:00.000Z',
  },
  // Post 22
  {
    id: 49,
    postId: 22,
    author: 'Wei Zhang',
    body: 'The proxy that silently ignores the directive is such a classic. Every layer has to be checked on its own.',
    createdAt: '2025-12-22T11:30:00.000Z',
  },
  // Post 23
  {
    id: 50,
    postId: 23,
    author: 'Yuki Tanaka',
    body: 'Past-tense event names are a small thing that makes a big difference. We use the same convention.',
    createdAt: '2026-03-14T11:05:00.000Z',
  },
  {
    id: 51,
    postId: 23,
    author: 'Marta Kowalczyk',
    body: 'Redacting in the logger rather than at each call site is the only approach I have seen hold up over time.',
    createdAt: '2026-03-15T08:20:00.000Z',
  },
  // Post 24
  {
    id: 52,
    postId: 24,
    author: 'Jonas Weber',
    body: 'A time zone offset of plus fourteen hours is exactly the kind of case nobody would write by hand. Great write-up.',
    createdAt: '2026-04-03T07:40:00.000Z',
  },
];
