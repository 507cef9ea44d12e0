CREATE TABLE "case_recordations" (
	"case_id" integer NOT NULL,
	"recordation_id" integer NOT NULL,
	CONSTRAINT "case_recordations_case_id_recordation_id_pk" PRIMARY KEY("case_id","recordation_id")
);
--> statement-breakpoint
ALTER TABLE "case_recordations" ADD CONSTRAINT "case_recordations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_recordations" ADD CONSTRAINT "case_recordations_recordation_id_recordations_id_fk" FOREIGN KEY ("recordation_id") REFERENCES "public"."recordations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_recordations_recordation_idx" ON "case_recordations" USING btree ("recordation_id","case_id");