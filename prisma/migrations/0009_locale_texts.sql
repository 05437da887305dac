-- AlterTable
ALTER TABLE "Message" ADD COLUMN "localeWarning" TEXT;

-- CreateTable
CREATE TABLE "GestureText" (
    "gestureId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "howToUse" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("gestureId", "language"),
    CONSTRAINT "GestureText_gestureId_fkey" FOREIGN KEY ("gestureId") REFERENCES "Gesture" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- Data: the default catalog's English descriptions now carry their article and leave the amount and
-- the signer to the templates ("a meal voucher", "a credit on your next order", "a free insights
-- session"). Rows still equal to the old default text read right again; any text a manager changed
-- is left alone. (The overnight gift's old text does not say what the gift is: only its owner can.)
UPDATE "Gesture" SET "description" = 'a meal voucher' WHERE "id" = 'meal-voucher-50' AND "description" = 'meal voucher';
UPDATE "Gesture" SET "description" = 'a snack and drink voucher' WHERE "id" = 'meal-voucher-15' AND "description" = 'snack and drink voucher';
UPDATE "Gesture" SET "description" = 'a credit on your next order' WHERE "id" = 'credit-15' AND "description" = 'a 15 EUR credit on your next order';
UPDATE "Gesture" SET "description" = 'a free insights session' WHERE "id" = 'insights-session' AND "description" = 'a free insights session with your account lead';

-- Data: French and German texts for the default gestures of an existing install, only where the
-- English text is still the default one (a translation of what the gesture is). New installs get
-- them from seeding (src/recovery/defaults.ts, src/locale/gesture-texts.ts).
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'fr', 'Bon repas (50)', 'un bon repas', 'Montrez le code dans n''importe quel café ou restaurant de l''aéroport aujourd''hui.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'meal-voucher-50' AND "description" = 'a meal voucher';
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'de', 'Essensgutschein (50)', 'ein Essensgutschein', 'Zeigen Sie den Code heute in einem Café oder Restaurant am Flughafen vor.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'meal-voucher-50' AND "description" = 'a meal voucher';
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'fr', 'Bon collation (15)', 'un bon pour un en-cas et une boisson', 'Montrez le code dans n''importe quel café de l''aéroport aujourd''hui.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'meal-voucher-15' AND "description" = 'a snack and drink voucher';
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'de', 'Snackgutschein (15)', 'ein Gutschein für einen Snack und ein Getränk', 'Zeigen Sie den Code heute in einem Café am Flughafen vor.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'meal-voucher-15' AND "description" = 'a snack and drink voucher';
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'fr', 'Avoir (15)', 'un avoir sur votre prochaine commande', 'Il est déduit au paiement quand vous saisissez le code.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'credit-15' AND "description" = 'a credit on your next order';
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'de', 'Gutschrift (15)', 'eine Gutschrift für Ihre nächste Bestellung', 'Sie wird an der Kasse abgezogen, wenn Sie den Code eingeben.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'credit-15' AND "description" = 'a credit on your next order';
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'fr', 'Chocolats artisanaux, envoi express', 'un coffret de chocolats artisanaux et une carte de remerciement', 'Il part ce soir par coursier express, dans son propre colis : vous n''avez rien à faire.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'overnight-gift' AND "description" = 'a box of handmade chocolates and a thank-you card';
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'de', 'Handgemachte Pralinen, Expressversand', 'eine Schachtel handgemachter Pralinen und eine Dankeskarte', 'Sie geht heute Abend per Expresskurier in einem eigenen Paket an Sie; Sie müssen nichts tun.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'overnight-gift' AND "description" = 'a box of handmade chocolates and a thank-you card';
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'fr', 'Session d''analyse offerte', 'une session d''analyse offerte', 'Répondez avec un créneau qui vous convient : il est aussitôt réservé.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'insights-session' AND "description" = 'a free insights session';
INSERT OR IGNORE INTO "GestureText" ("gestureId", "language", "name", "description", "howToUse", "updatedAt")
  SELECT "id", 'de', 'Kostenlose Analyse-Sitzung', 'eine kostenlose Analyse-Sitzung', 'Antworten Sie mit einem Termin, der Ihnen passt, und er ist gebucht.', CURRENT_TIMESTAMP FROM "Gesture"
  WHERE "id" = 'insights-session' AND "description" = 'a free insights session';
