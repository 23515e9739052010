import { plural } from '@composable-svelte/core/i18n';

/**
 * The texts of the post, comments, newsletter and error pages, in English, that the list does not
 * show: those pages load this chunk beside ./en.ts, so a first visit to the list never downloads it.
 */
const enReading = {
  updated: 'updated',
  editThisPost: 'Edit this post',
  readComments: (count: number, title: string) =>
    `Read ${plural('en', count, { one: '# comment', other: '# comments' })} on “${title}”`,
  allEssays: '← All essays',
  thePost: 'the post',

  commentsOn: (title: string) => `Comments on “${title}”`,
  deleteYourComment: 'Delete your comment',
  addComment: 'Add a comment',
  commentPosted: 'Thanks! Your comment is posted.',
  signInToComment: 'Sign in to comment',
  commentingAs: 'Commenting as',
  comment: 'Comment',
  posting: 'Posting…',
  postComment: 'Post comment',
  writeComment: 'Write a comment',
  backToPost: '← Back to the post',

  reconnecting: 'Reconnecting… new comments will appear once the connection is back.',
  offline: 'You are offline. New comments will appear when you are back online.',
  liveStopped: 'Live updates have stopped. Reload the page to see new comments.',
  readingNow: (count: number) => plural('en', count, { other: '# reading now' }),

  nothingAt: 'There is nothing at',
  nothingAtAfter: '. It may have moved, or the address may be mistyped.',
  goToLatest: 'Go to the latest essays',
  invalidAddress: 'This address is not valid',
  addressBefore: 'The address',
  addressAfter: 'has a part we cannot read:',
  serverErrorHelp: 'Something went wrong on our side. If it keeps happening, quote this request id:',
  clientErrorHelp: 'Go back, correct what the message above says and send it again (request id',

  subscribeIntro: 'New essays by email, about once a month. No tracking, and you can leave with one click.',
  subscribedAs: (name: string) => `Thanks, ${name}! You are on the list.`,
  subscribed: 'Thanks for subscribing! You are on the list.',
  subscribing: 'Subscribing…',
};

export type ReadingMessages = typeof enReading;
export default enReading;
