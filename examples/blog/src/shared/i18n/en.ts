import { plural } from '@composable-svelte/core/i18n';

/**
 * The interface in English, the default locale, as every page needs it: the header and footer, the
 * list, every page's title, and the texts the other pages share. The post, comments, newsletter and
 * error pages' own texts are in ./en-reading.ts, the signed-in, sign-in and admin pages' in
 * ./en-member.ts: chunks loaded with those pages only. Every other locale's module has exactly
 * these keys with the same parameters (`satisfies Messages`): the type check finds what is missing.
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
  postNotFound: 'Post not found',
  postUnavailable: 'Post unavailable',
  loadingPost: 'Loading post…',
  thePosts: 'posts',
  theComments: 'the comments',

  commentsOnTitle: (title: string) => `Comments on ${title}`,
  comments: 'Comments',
  noCommentsYet: 'No comments yet.',
  deleteComment: 'Delete',
  name: 'Name',
  email: 'Email',

  loadingWhat: (what: string) => `Loading ${what}…`,
  couldNotLoad: (what: string, message: string) => `Could not load ${what}: ${message}`,
  tryAgain: 'Try again',

  pageNotFound: 'Page not found',

  createAnAccount: 'Create an account',
  resetYourPassword: 'Reset your password',
  chooseNewPassword: 'Choose a new password',

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
