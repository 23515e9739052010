import { plural } from '@composable-svelte/core/i18n';

/**
 * The public pages' interface in English, the default locale: what a reader sees on the list, the
 * posts, their comments and the newsletter form, and every page's title. The signed-in, sign-in and
 * admin pages' texts are in ./en-member.ts, a chunk loaded with those pages only. Every other
 * locale's module has exactly these keys with the same parameters (`satisfies Messages`): the type
 * check finds what is missing.
 */
const en = {
  siteTagline: 'essays on web software',
  siteDescription: 'Essays on building and running web software: rendering, caching, testing, operations.',
  skipToContent: 'Skip to content',
  primaryNavigation: 'Primary',
  essays: 'Essays',
  subscribe: 'Subscribe',
  write: 'Write',
  admin: 'Admin',
  signIn: 'Sign in',
  signUp: 'Sign up',
  signOut: 'Sign out',
  language: 'Language',
  loading: 'Loading…',
  footer: (site: string) =>
    `${site} is the reference app of Composable Svelte: server-rendered, hydrated, no inline script.`,

  latestEssays: 'Latest essays',
  byline: (author: string) => `By ${author}`,
  commentCount: (count: number) => plural('en', count, { one: '# comment', other: '# comments' }),
  updated: 'updated',
  editThisPost: 'Edit this post',
  readComments: (count: number, title: string) =>
    `Read ${plural('en', count, { one: '# comment', other: '# comments' })} on “${title}”`,
  postNotFound: 'Post not found',
  postUnavailable: 'Post unavailable',
  loadingPost: 'Loading post…',
  allEssays: '← All essays',
  thePosts: 'posts',
  thePost: 'the post',
  theComments: 'the comments',

  commentsOn: (title: string) => `Comments on “${title}”`,
  commentsOnTitle: (title: string) => `Comments on ${title}`,
  comments: 'Comments',
  noCommentsYet: 'No comments yet.',
  deleteYourComment: 'Delete your comment',
  deleteComment: 'Delete',
  addComment: 'Add a comment',
  commentPosted: 'Thanks! Your comment is posted.',
  signInToComment: 'Sign in to comment',
  commentingAs: 'Commenting as',
  name: 'Name',
  email: 'Email',
  comment: 'Comment',
  posting: 'Posting…',
  postComment: 'Post comment',
  writeComment: 'Write a comment',
  backToPost: '← Back to the post',

  loadingWhat: (what: string) => `Loading ${what}…`,
  couldNotLoad: (what: string, message: string) => `Could not load ${what}: ${message}`,
  tryAgain: 'Try again',
  reconnecting: 'Reconnecting… new comments will appear once the connection is back.',
  offline: 'You are offline. New comments will appear when you are back online.',
  liveStopped: 'Live updates have stopped. Reload the page to see new comments.',
  readingNow: (count: number) => plural('en', count, { other: '# reading now' }),

  pageNotFound: 'Page not found',
  nothingAt: 'There is nothing at',
  nothingAtAfter: '. It may have moved, or the address may be mistyped.',
  goToLatest: 'Go to the latest essays',
  invalidAddress: 'This address is not valid',
  addressBefore: 'The address',
  addressAfter: 'has a part we cannot read:',
  serverErrorHelp: 'Something went wrong on our side. If it keeps happening, quote this request id:',
  clientErrorHelp: 'Go back, correct what the message above says and send it again (request id',

  createAnAccount: 'Create an account',
  resetYourPassword: 'Reset your password',
  chooseNewPassword: 'Choose a new password',

  subscribeIntro: 'New essays by email, about once a month. No tracking, and you can leave with one click.',
  subscribedAs: (name: string) => `Thanks, ${name}! You are on the list.`,
  subscribed: 'Thanks for subscribing! You are on the list.',
  subscribing: 'Subscribing…',

  yourAccount: 'Your account',
  descriptionAccount: 'Your sessions and password.',

  writeAPost: 'Write a post',
  editPostTitled: (title: string) => `Edit “${title}”`,
  editAPost: 'Edit a post',
  descriptionWrite: 'Write a new essay.',
  descriptionEditPost: 'Edit an essay.',

  moderation: 'Moderation',
  moderationIntro: 'The newest comments on every post.',
  usersAndRoles: 'Users and roles',
  descriptionUsers: 'Accounts and their roles.',
  jobs: 'Jobs',
  descriptionJobs: 'Background job queues and schedules.',

  titleSubscribe: 'Subscribe',
  descriptionSubscribe: 'Get new essays from Field Notes by email, about once a month.',
  descriptionLogin: 'Sign in to comment on Field Notes.',
  descriptionSignup: 'Create a Field Notes account to comment on essays.',
  descriptionForgot: 'Get a link to choose a new Field Notes password.',
  descriptionReset: 'Choose a new Field Notes password.',
  descriptionNotFound: 'This page does not exist.',
  titleBadRequest: 'Bad request',
  descriptionBadRequest: 'This address is not valid.',
  descriptionError: 'Something went wrong.',
};

export type Messages = typeof en;
export default en;
