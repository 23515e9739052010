CREATE TABLE "comment_notices" (
	"post_id" integer PRIMARY KEY NOT NULL,
	"last_comment_id" integer NOT NULL,
	"notified_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"aggregate" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"done_handlers" text[] DEFAULT '{}'::text[] NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"dead_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "comment_notices" ADD CONSTRAINT "comment_notices_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_events_pending" ON "outbox_events" USING btree ("aggregate","id") WHERE delivered_at is null and dead_at is null;--> statement-breakpoint
CREATE INDEX "outbox_events_dead" ON "outbox_events" USING btree ("dead_at") WHERE dead_at is not null;--> statement-breakpoint
CREATE INDEX "outbox_events_delivered" ON "outbox_events" USING btree ("delivered_at") WHERE delivered_at is not null;