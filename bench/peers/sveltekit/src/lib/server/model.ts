/** What the pages render: the blog's PostSummary and Post (examples/blog/src/shared/model.ts). */
export interface PostSummary {
  readonly id: number;
  readonly title: string;
  readonly author: string;
  readonly publishedAt: string;
  readonly excerpt: string;
  readonly commentCount: number;
}

export interface Post extends PostSummary {
  readonly bodyHtml: string;
}
