-- CreateTable
CREATE TABLE "BudgetSpend" (
    "period" TEXT NOT NULL PRIMARY KEY,
    "spentCents" INTEGER NOT NULL
);

-- The spend of every month so far, then triggers that keep it: a grant counts while its status is
-- 'granted', in the month of its createdAt, as whole cents (exact, unlike summing REALs).
INSERT INTO "BudgetSpend" ("period", "spentCents")
SELECT substr("createdAt", 1, 7), SUM(CAST(ROUND("value" * 100) AS INTEGER)) FROM "GestureGrant"
WHERE "status" = 'granted' GROUP BY 1;

CREATE TRIGGER "GestureGrant_spend_insert" AFTER INSERT ON "GestureGrant" WHEN NEW."status" = 'granted' BEGIN
  INSERT INTO "BudgetSpend" ("period", "spentCents")
  VALUES (substr(NEW."createdAt", 1, 7), CAST(ROUND(NEW."value" * 100) AS INTEGER))
  ON CONFLICT ("period") DO UPDATE SET "spentCents" = "spentCents" + excluded."spentCents";
END;

CREATE TRIGGER "GestureGrant_spend_update" AFTER UPDATE OF "status", "value", "createdAt" ON "GestureGrant" BEGIN
  UPDATE "BudgetSpend" SET "spentCents" = "spentCents" - CAST(ROUND(OLD."value" * 100) AS INTEGER)
  WHERE OLD."status" = 'granted' AND "period" = substr(OLD."createdAt", 1, 7);
  INSERT INTO "BudgetSpend" ("period", "spentCents")
  SELECT substr(NEW."createdAt", 1, 7), CAST(ROUND(NEW."value" * 100) AS INTEGER) WHERE NEW."status" = 'granted'
  ON CONFLICT ("period") DO UPDATE SET "spentCents" = "spentCents" + excluded."spentCents";
END;

CREATE TRIGGER "GestureGrant_spend_delete" AFTER DELETE ON "GestureGrant" WHEN OLD."status" = 'granted' BEGIN
  UPDATE "BudgetSpend" SET "spentCents" = "spentCents" - CAST(ROUND(OLD."value" * 100) AS INTEGER)
  WHERE "period" = substr(OLD."createdAt", 1, 7);
END;
