import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { htmlToText, sanitizeHtml } from '../src/subpaths/security.js';
import { parseTags, unsafeParts } from './support/security-html-check.js';

// Property runs send hundreds of requests; leave room on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const REL = 'noopener noreferrer nofollow';

describe('the output checker itself', () => {
  // The corpus and property below are only as good as this checker: it must flag what it claims to.
  it.each([
    ['<script>x</script>', 'contains <script'],
    ['<p onclick="x()">t</p>', 'event handler'],
    ['<a href="java&#x09;script:alert(1)">t</a>', 'scheme javascript'],
    ['<a href=" javascript:alert(1)">t</a>', 'scheme javascript'],
    ['<a href="//evil.example">t</a>', 'protocol-relative'],
    ['<a href="/\\evil.example">t</a>', 'protocol-relative'],
    ['<img src="data:image/png;base64,AA" />', 'scheme data'],
    ['<iframe></iframe>', 'not on the allow-list'],
    ['<p>1 < 2</p>', 'opens no well-formed tag'],
    ['<a href="&colon;">t</a>', 'undecoded character reference'],
  ])('flags %s', (html, problem) => {
    expect(unsafeParts(html).join('\n')).toContain(problem);
  });

  it('passes clean output', () => {
    expect(
      unsafeParts(
        `<p>a &lt; b</p><a href="https://ok.example/?a=1&amp;b=2" rel="${REL}">x</a><img src="https://img.example/a.png" alt="a" />`,
      ),
    ).toEqual([]);
  });
});

describe('sanitizeHtml: elements', () => {
  it.each([
    ['script', '<script>alert("PAYLOAD")</script>'],
    ['script with attributes', '<script src="https://evil.example/x.js" type="module">PAYLOAD</script>'],
    ['style', '<style>body { background: url("javascript:PAYLOAD") }</style>'],
    ['iframe', '<iframe src="https://evil.example" srcdoc="<script>PAYLOAD</script>">PAYLOAD</iframe>'],
    ['object', '<object data="https://evil.example/x.swf"><param name="x" value="PAYLOAD">PAYLOAD</object>'],
    ['embed', '<embed src="https://evil.example/x.swf" data-x="PAYLOAD">'],
    [
      'svg',
      '<svg onload="PAYLOAD"><script>PAYLOAD</script><a xlink:href="javascript:PAYLOAD"><text>PAYLOAD</text></a></svg>',
    ],
    ['math', '<math><mtext><a href="javascript:PAYLOAD">PAYLOAD</a></mtext></math>'],
    ['textarea', '<textarea><script>PAYLOAD</script></textarea>'],
    ['noscript', '<noscript><p title="</noscript><img src=x onerror=PAYLOAD>"></noscript>'],
    ['template', '<template><script>PAYLOAD</script></template>'],
  ])('removes %s with everything inside it', (_name, html) => {
    const output = sanitizeHtml(`<p>before</p>${html}<p>after</p>`);
    expect(output).toBe('<p>before</p><p>after</p>');
  });

  it('removes form elements and their controls (keeping plain text)', () => {
    const output = sanitizeHtml(
      '<form action="https://evil.example/steal" method="post"><input name="password" type="password"><button formaction="javascript:x()">Go</button>text</form>',
    );
    expect(output).not.toMatch(/<\s*(form|input|button)/i);
    expect(output).not.toContain('evil.example');
    expect(output).not.toContain('javascript');
    expect(unsafeParts(output)).toEqual([]);
  });

  it('removes base, meta, link and other document-level elements', () => {
    const output = sanitizeHtml(
      '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example"><link rel="stylesheet" href="https://evil.example/x.css">ok',
    );
    expect(output).toBe('ok');
  });

  it.each([
    'onclick',
    'onerror',
    'onload',
    'onmouseover',
    'onfocus',
    'ONCLICK',
    'OnError',
    'onanimationstart',
    'onpointerenter',
  ])('removes the %s handler from every allowed element', (handler) => {
    const html = [
      `<p ${handler}="alert(1)">p</p>`,
      `<a href="https://ok.example" ${handler}="alert(1)">a</a>`,
      `<img src="https://ok.example/i.png" ${handler}=alert(1)>`,
      `<h2 ${handler}='alert(1)'>h</h2>`,
      `<table ${handler}="alert(1)"><tr><td ${handler}="alert(1)">c</td></tr></table>`,
      `<em ${handler}=alert(1) >e</em>`,
    ].join('');
    const output = sanitizeHtml(html);
    expect(output.toLowerCase()).not.toContain(handler.toLowerCase());
    expect(output).not.toContain('alert(1)');
    expect(unsafeParts(output)).toEqual([]);
  });

  it('removes style, class and id attributes', () => {
    expect(sanitizeHtml('<p style="background:url(javascript:x)" class="c" id="i">t</p>')).toBe('<p>t</p>');
  });

  it('keeps the allowed formatting: paragraphs, emphasis, code, lists, headings h2–h6, tables, images', () => {
    const cases: [string, string][] = [
      [
        '<p>a <em>b</em> <strong>c</strong> <code>d</code></p>',
        '<p>a <em>b</em> <strong>c</strong> <code>d</code></p>',
      ],
      [
        '<ul><li>one</li><li>two</li></ul><ol start="3"><li>three</li></ol>',
        '<ul><li>one</li><li>two</li></ul><ol start="3"><li>three</li></ol>',
      ],
      ['<h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>', '<h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>'],
      [
        '<table><caption>c</caption><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2" rowspan="1">d</td></tr></tbody></table>',
        '<table><caption>c</caption><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2" rowspan="1">d</td></tr></tbody></table>',
      ],
      [
        '<img src="https://img.example/a.png" alt="A" title="T" width="10" height="20">',
        '<img src="https://img.example/a.png" alt="A" title="T" width="10" height="20" />',
      ],
      [
        '<blockquote><p>q</p></blockquote><pre><code>x &lt; y</code></pre>',
        '<blockquote><p>q</p></blockquote><pre><code>x &lt; y</code></pre>',
      ],
    ];
    for (const [input, output] of cases) expect(sanitizeHtml(input)).toBe(output);
  });

  it('keeps a link with its href and title', () => {
    expect(sanitizeHtml('<a href="https://ok.example/page?a=1&amp;b=2" title="t">x</a>')).toBe(
      `<a href="https://ok.example/page?a=1&amp;b=2" title="t" rel="${REL}">x</a>`,
    );
  });

  it('does not keep h1 as a heading (the page owns its h1), only its text', () => {
    expect(sanitizeHtml('<h1>Title</h1>')).toBe('Title');
  });

  it('escapes stray angle brackets in text instead of letting them open tags', () => {
    expect(sanitizeHtml('<p>1 < 2 & 3 > 2</p>')).toBe('<p>1 &lt; 2 &amp; 3 &gt; 2</p>');
  });
});

describe('sanitizeHtml: URLs', () => {
  const BLOCKED = [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java&#x09;script:alert(1)',
    '&#106;avascript:alert(1)',
    '&#x6A;avascript:alert(1)',
    '&#0000106;avascript:alert(1)',
    'javascript&colon;alert(1)',
    'javascript&#58;alert(1)',
    ' javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'DATA:text/html,x',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://files.example/x',
    '//evil.example/x',
    ' //evil.example/x',
    '/\\evil.example/x',
    '\\\\evil.example/x',
    '&#47;&#47;evil.example',
  ];

  it.each(BLOCKED)('drops href=%j', (url) => {
    const output = sanitizeHtml(`<a href="${url}">x</a>`);
    expect(output).toBe(`<a rel="${REL}">x</a>`);
  });

  it.each([...BLOCKED, 'mailto:a@example.com'])('drops img src=%j', (url) => {
    expect(sanitizeHtml(`<img src="${url}" alt="a">`)).toBe('<img alt="a" />');
  });

  it.each([
    'http://ok.example/',
    'https://ok.example/a?b=1',
    'HTTPS://OK.EXAMPLE/',
    'mailto:someone@example.com',
    '/relative/path',
    '#anchor',
    'page.html',
  ])('keeps href=%j', (url) => {
    expect(sanitizeHtml(`<a href="${url}">x</a>`)).toBe(`<a href="${url}" rel="${REL}">x</a>`);
  });

  it('adds rel="noopener noreferrer nofollow" to every link, overriding the one given, and drops target', () => {
    for (const input of [
      '<a href="https://x.example">x</a>',
      '<a href="https://x.example" rel="opener">x</a>',
      '<a href="https://x.example" rel="">x</a>',
      '<a href="https://x.example" target="_blank" rel="noopener">x</a>',
      '<a>x</a>',
    ]) {
      const [tag] = parseTags(sanitizeHtml(input)).tags;
      expect(
        tag!.attributes.filter(([name]) => name === 'rel'),
        input,
      ).toEqual([['rel', REL]]);
      expect(
        tag!.attributes.map(([name]) => name),
        input,
      ).not.toContain('target');
    }
  });
});

/** Classic XSS payloads, in the spirit of the OWASP filter-evasion list, written for these tests. */
const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<<script>script>alert(1)<</script>/script>',
  '<script/x>alert(1)</script>',
  '<script\n>alert(1)</script\n>',
  '<IMG SRC="javascript:alert(1);">',
  '<IMG SRC=javascript:alert(1)>',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<IMG SRC=`javascript:alert(1)`>',
  '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
  '<IMG SRC=# onmouseover="alert(1)">',
  '<IMG SRC= onmouseover="alert(1)">',
  '<IMG onmouseover="alert(1)">',
  '<IMG SRC=/ onerror="alert(1)"></img>',
  '<img src=x onerror=alert(1)//',
  '<img src=x:alert(alt) onerror=eval(src) alt=1>',
  '<IMG SRC="jav\tascript:alert(1);">',
  '<IMG SRC="jav&#x09;ascript:alert(1);">',
  '<IMG SRC="jav&#x0A;ascript:alert(1);">',
  '<IMG SRC=" &#14;  javascript:alert(1);">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>',
  '<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097>',
  '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61>',
  '<a href="javas&#99;ript:alert(1)">x</a>',
  '<a href="&#x6a;avascript&#x3a;alert(1)">x</a>',
  '<a href="jav&NewLine;ascript&colon;alert(1)">x</a>',
  '<a href="\x01javascript:alert(1)">x</a>',
  '<a href="javascript://%0aalert(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href=vbscript:msgbox(1)>x</a>',
  '<a href="//evil.example">x</a>',
  '<a href="x" onclick="alert(1)" onclick="alert(2)">x</a>',
  '<BODY ONLOAD=alert(1)>',
  '<BODY BACKGROUND="javascript:alert(1)">',
  '<svg/onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
  '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style><img onerror=alert(1) src>">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<INPUT TYPE="IMAGE" SRC="javascript:alert(1);">',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<audio src=x onerror=alert(1)>',
  '<marquee onstart=alert(1)>x</marquee>',
  '<TABLE BACKGROUND="javascript:alert(1)"><TD BACKGROUND="javascript:alert(1)">x</TD></TABLE>',
  '<DIV STYLE="background-image: url(javascript:alert(1))">x</DIV>',
  '<DIV STYLE="width: expression(alert(1));">x</DIV>',
  "<STYLE>@import'javascript:alert(1)';</STYLE>",
  '<LINK REL="stylesheet" HREF="javascript:alert(1);">',
  '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">',
  '<BASE HREF="javascript:alert(1);//">',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<xmp><script>alert(1)</script></xmp>',
  '<plaintext><script>alert(1)</script>',
  '<p title="x" onmouseover="alert(1)" title="y">x</p>',
  '<a href="https://ok.example" title="&quot; onmouseover=&quot;alert(1)">x</a>',
  '<img src="https://ok.example/x.png" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
  '<a href="https:/\\evil.example">x</a>',
  '<img srcset="javascript:alert(1) 1x">',
  '<a href="https://ok.example" formaction="javascript:alert(1)">x</a>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '</p><script>alert(1)</script><p>',
  '<p>unclosed <a href="javascript:alert(1)"',
];

describe('sanitizeHtml: XSS corpus', () => {
  it.each(XSS_CORPUS)('neutralises %j', (payload) => {
    const output = sanitizeHtml(payload);
    expect(unsafeParts(output), output).toEqual([]);
    // Wrapped in allowed markup too, which is how such payloads arrive in real content.
    expect(unsafeParts(sanitizeHtml(`<p>x <a href="https://ok.example">y</a> ${payload} z</p>`))).toEqual([]);
  });
});

describe('sanitizeHtml: property', () => {
  const tagName = fc.constantFrom(
    'script',
    'SCRIPT',
    'ScRiPt',
    'img',
    'IMG',
    'a',
    'A',
    'svg',
    'math',
    'iframe',
    'object',
    'embed',
    'form',
    'input',
    'button',
    'style',
    'p',
    'div',
    'h1',
    'h2',
    'table',
    'td',
    'textarea',
    'noscript',
    'template',
    'base',
    'meta',
    'link',
    'body',
    'xmp',
    'title',
    'select',
    'option',
    'video',
    'source',
    'details',
    'em',
    'code',
    'li',
    'mglyph',
    'mtext',
    'foreignObject',
  );
  const attrName = fc.constantFrom(
    'href',
    'HREF',
    'src',
    'SRC',
    'onerror',
    'onload',
    'ONCLICK',
    'onmouseover',
    'onfocus',
    'on',
    'onx',
    'style',
    'title',
    'alt',
    'xlink:href',
    'formaction',
    'action',
    'srcset',
    'srcdoc',
    'data',
    'background',
    'rel',
    'target',
    'width',
    'colspan',
    'id',
  );
  const value = fc.oneof(
    fc.constantFrom(
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'java&#x09;script:alert(1)',
      '&#106;avascript:alert(1)',
      '&#0000106avascript:alert(1)',
      'javascript&colon;alert(1)',
      ' javascript:alert(1)',
      '\u0001javascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:msgbox(1)',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'https://ok.example/a?b=1&c=2',
      'mailto:a@example.com',
      '#frag',
      '/relative',
      'alert(1)',
      '"><script>alert(1)</script>',
      "' onerror=alert(1) x='",
      '" onerror="alert(1)',
    ),
    fc.string({ maxLength: 20 }),
    // Control characters and whitespace, which browsers strip or skip inside URLs.
    fc.string({ unit: 'binary-ascii', maxLength: 20 }),
  );
  const quote = fc.constantFrom('"', "'", '', '`');
  const attribute = fc
    .tuple(fc.constantFrom(' ', '\n', '/', '\t', '  '), attrName, value, quote)
    .map(([sep, name, v, q]) => `${sep}${name}=${q}${v}${q}`);
  const openTag = fc
    .tuple(tagName, fc.array(attribute, { maxLength: 3 }), fc.constantFrom('>', '/>', ' >', '', '\n>'))
    .map(([name, attributes, end]) => `<${name}${attributes.join('')}${end}`);
  const closeTag = tagName.map((name) => `</${name}>`);
  const junk = fc.constantFrom(
    '<',
    '>',
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    '&lt;',
    '&#60;',
    '</',
    '<<',
    '"',
    "'",
    '=',
    '<!',
    '<?x?>',
    '\u0000',
    '&',
    '&#',
    '&amp;',
  );
  const html = fc
    .array(fc.oneof(openTag, openTag, closeTag, fc.string({ maxLength: 12 }), junk), { maxLength: 16 })
    .map((parts) => parts.join(''));

  it('for any mix of tags, attributes, URLs and text: no <script, no on… attribute, no javascript: href/src, nothing off the allow-list', () => {
    fc.assert(
      fc.property(html, (input) => {
        const output = sanitizeHtml(input);
        expect(unsafeParts(output), `input ${JSON.stringify(input)}\noutput ${JSON.stringify(output)}`).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('sanitizing twice stays safe (content sanitized on write may be sanitized again on load)', () => {
    fc.assert(
      fc.property(html, (input) => {
        expect(unsafeParts(sanitizeHtml(sanitizeHtml(input)))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('htmlToText', () => {
  it('keeps words of adjacent paragraphs apart', () => {
    expect(htmlToText('<p>one</p><p>two</p><ul><li>three</li><li>four</li></ul>')).toBe('one two three four');
  });

  it('strips tags and drops script/style content', () => {
    expect(htmlToText('<p>Hello <strong>world</strong></p><script>alert(1)</script><style>p{}</style>')).toBe(
      'Hello world',
    );
  });

  it('decodes named and numeric entities', () => {
    expect(htmlToText('Fish &amp; chips &lt;3 &quot;q&quot; &apos;a&apos; &#8364; &#x20AC; &#x1F600;')).toBe(
      'Fish & chips <3 "q" \'a\' € € 😀',
    );
    expect(htmlToText('a&nbsp;b')).toBe('a\u00a0b');
  });

  it('decodes exactly once: escaped markup stays text', () => {
    expect(htmlToText('&amp;lt;script&amp;gt;')).toBe('&lt;script&gt;');
    expect(htmlToText('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('<script>alert(1)</script>');
  });

  it('leaves unknown entities as they are', () => {
    expect(htmlToText('&bogus; &Amp')).toBe('&bogus; &Amp');
  });

  it('property: the result never contains a tag that was markup in the input', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom('<p>', '</p>', '<b>', '<script>x</script>', '<a href="h">', '</a>'),
            fc.stringMatching(/^[a-z ]{0,8}$/),
          ),
          { maxLength: 12 },
        ),
        (parts) => {
          const text = htmlToText(parts.join(''));
          expect(text).not.toMatch(/<\/?(p|b|a|script)\b/);
          // Block boundaries separate words; whitespace is compared normalised.
          const normalise = (value: string) => value.replace(/\s+/g, ' ').trim();
          expect(normalise(text)).toBe(
            normalise(parts.map((p) => (p === '</p>' ? ' ' : p.startsWith('<') ? '' : p)).join('')),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
