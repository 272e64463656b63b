/**
 * Which store: PostgreSQL when DATABASE_URL is set, else SQLite at PARLEY_SURVEY_DB
 * (default data/surveys.sqlite under the working directory; `:memory:` for none).
 */
import { openPostgresStore } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { SurveyStore } from './store.ts';

export async function openSurveyStore(env: Record<string, string | undefined>): Promise<SurveyStore> {
  const url = env.DATABASE_URL?.trim();
  if (url) return openPostgresStore(url);
  return openSqliteStore(env.PARLEY_SURVEY_DB?.trim() || 'data/surveys.sqlite');
}
