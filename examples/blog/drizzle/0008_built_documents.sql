CREATE TABLE "built_documents" (
	"path" text PRIMARY KEY NOT NULL,
	"body" text NOT NULL,
	"built_at" timestamp (3) with time zone NOT NULL
);
