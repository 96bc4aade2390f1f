import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log becomes a Merkle tree with signed checkpoints (docs/access-log.md). Events are
 * appended without a lock: `seq` now comes from a sequence (insertion order only), and the
 * checkpointer gives them tree positions in access_log_leaf. access_log_node keeps the hash of
 * every complete subtree (level 0 = the leaves) for proofs; access_log_checkpoint the signed notes.
 * The old chain columns stay for the events written under it; existing events enter the tree at the
 * first checkpoint, in seq order.
 */
export class VerifiableAccessLog1795373700000 implements MigrationInterface {
  name = 'VerifiableAccessLog1795373700000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE access_event_seq_seq AS bigint MINVALUE 1 OWNED BY access_event.seq`);
    await q.query(`SELECT setval('access_event_seq_seq', COALESCE((SELECT max(seq) FROM access_event), 0) + 1, false)`);
    await q.query(`ALTER TABLE access_event ALTER COLUMN seq SET DEFAULT nextval('access_event_seq_seq')`);
    await q.query(`ALTER TABLE access_event ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`);
    await q.query(`CREATE TABLE access_log_leaf (
      leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
      event_id uuid NOT NULL UNIQUE
    )`);
    await q.query(`CREATE TABLE access_log_node (
      level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
      idx bigint NOT NULL CHECK (idx >= 0),
      hash bytea NOT NULL CHECK (length(hash) = 32),
      PRIMARY KEY (level, idx)
    )`);
    await q.query(`CREATE TABLE access_log_checkpoint (
      tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
      root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
      note text NOT NULL,
      covered_seq bigint NOT NULL,
      seq_horizon bigint NOT NULL,
      xid_horizon xid8 NOT NULL,
      made_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`
      CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END $$`);
    for (const table of ['access_log_leaf', 'access_log_node', 'access_log_checkpoint']) {
      await q.query(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE access_log_checkpoint');
    await q.query('DROP TABLE access_log_node');
    await q.query('DROP TABLE access_log_leaf');
    await q.query('DROP FUNCTION access_log_append_only()');
    await q.query(`ALTER TABLE access_event ALTER COLUMN seq DROP DEFAULT`);
    await q.query('DROP SEQUENCE access_event_seq_seq');
  }
}
