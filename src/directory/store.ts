import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { CountyDirectory } from './schema.js';

/** The loaded directory plus the database ids its codes map to. */
export type LoadedDirectory = {
  directory: CountyDirectory;
  agencyId: (code: string) => string | undefined;
  townshipId: (code: string) => string | undefined;
  villageId: (townshipCode: string, villageCode: string) => string | undefined;
};

/**
 * Loads a validated directory in one transaction: either all of it lands or
 * none. Entries absent from the file are kept, since referrals may point at them.
 */
export async function importDirectory(db: Db, dir: CountyDirectory) {
  return db.$transaction(
    async (tx) => {
      const countyCode = dir.county.code;
      await tx.county.upsert({
        where: { code: countyCode },
        create: { code: countyCode, name: dir.county.name, directory: dir },
        update: { name: dir.county.name, directory: dir, importedAt: new Date() },
      });
      for (const a of dir.agencies) {
        await tx.agency.upsert({
          where: { countyCode_code: { countyCode, code: a.code } },
          create: { countyCode, code: a.code, name: a.name, categories: a.categories, phone: a.phone ?? null },
          update: { name: a.name, categories: a.categories, phone: a.phone ?? null },
        });
      }
      let villages = 0;
      for (const t of dir.townships) {
        const township = await tx.township.upsert({
          where: { countyCode_code: { countyCode, code: t.code } },
          create: { countyCode, code: t.code, name: t.name, aliases: t.aliases },
          update: { name: t.name, aliases: t.aliases },
        });
        for (const v of t.villages) {
          await tx.village.upsert({
            where: { townshipId_code: { townshipId: township.id, code: v.code } },
            create: { townshipId: township.id, code: v.code, name: v.name, aliases: v.aliases },
            update: { name: v.name, aliases: v.aliases },
          });
          villages += 1;
        }
      }
      return { county: countyCode, agencies: dir.agencies.length, townships: dir.townships.length, villages };
    },
    { timeout: 30_000 },
  );
}

/** The county this deployment serves: the most recently imported one, or none yet. */
export async function loadCurrentDirectory(db: Db): Promise<LoadedDirectory | undefined> {
  const county = await db.county.findFirst({ orderBy: { importedAt: 'desc' } });
  if (!county) return undefined;
  const parsed = CountyDirectory.safeParse(county.directory);
  if (!parsed.success) {
    throw new AppError('directory_invalid', `Stored directory for ${county.code} no longer validates; re-import it with \`hotline directory import\``, 500, true);
  }
  const [agencies, townships] = await Promise.all([
    db.agency.findMany({ where: { countyCode: county.code } }),
    db.township.findMany({ where: { countyCode: county.code }, include: { villages: true } }),
  ]);
  const agencyIds = new Map(agencies.map((a) => [a.code, a.id]));
  const townshipIds = new Map(townships.map((t) => [t.code, t.id]));
  const villageIds = new Map(townships.flatMap((t) => t.villages.map((v) => [`${t.code}/${v.code}`, v.id] as const)));
  return {
    directory: parsed.data,
    agencyId: (code) => agencyIds.get(code),
    townshipId: (code) => townshipIds.get(code),
    villageId: (t, v) => villageIds.get(`${t}/${v}`),
  };
}
