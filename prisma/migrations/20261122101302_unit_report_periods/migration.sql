-- CreateEnum
CREATE TYPE "ReportPeriod" AS ENUM ('month', 'day');

-- CreateTable
CREATE TABLE "UnitReport" (
    "id" UUID NOT NULL,
    "period" "ReportPeriod" NOT NULL,
    "periodStart" DATE NOT NULL,
    "unitKind" "UnitKind" NOT NULL,
    "unitCode" TEXT NOT NULL,
    "figures" JSONB NOT NULL,
    "generatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UnitReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UnitReport_period_periodStart_unitKind_unitCode_key" ON "UnitReport"("period", "periodStart", "unitKind", "unitCode");

-- Keep the reports already stored: "month" held YYYY-MM for a month and YYYY-MM-DD for a day.
INSERT INTO "UnitReport" ("id", "period", "periodStart", "unitKind", "unitCode", "figures", "generatedAt")
SELECT "id",
       CASE WHEN length("month") = 7 THEN 'month'::"ReportPeriod" ELSE 'day'::"ReportPeriod" END,
       CASE WHEN length("month") = 7 THEN ("month" || '-01')::date ELSE "month"::date END,
       "unitKind", "unitCode", "figures", "generatedAt"
FROM "MonthlyReport";

-- DropTable
DROP TABLE "MonthlyReport";
