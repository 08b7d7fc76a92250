// PostgresStore keeps the QueueStore contract, durability included: `reopen` opens a new store
// (a new worker) over the same schema, after the suite closed the first (which let go of its rows).
import { describe, it } from 'vitest';
import { PostgresStore } from '../../src/postgres.js';
import { describeQueueStoreConformance } from '../../src/testing.js';
import { postgresMissing, usePostgres } from '../helpers/postgres.js';

const pg = usePostgres();

if (postgresMissing) describe.skip(`PostgresStore (${postgresMissing})`, () => undefined);
else
  describeQueueStoreConformance('PostgresStore', async () => {
    const pool = pg.pool(2);
    const schema = pg.schema();
    return {
      store: new PostgresStore({ pool, schema }),
      reopen: async () => new PostgresStore({ pool, schema }),
    };
  }, { describe, it });
