ALTER TABLE "posts" ADD COLUMN "comment_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill: posts written before this migration get the count of the comments they already have.
UPDATE "posts" SET "comment_count" = (SELECT count(*) FROM "comments" WHERE "comments"."post_id" = "posts"."id");
