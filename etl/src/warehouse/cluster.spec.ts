import { clusterizeDdl, onCluster } from './cluster';
import { WarehouseError } from './errors';

const FACT = `CREATE TABLE IF NOT EXISTS fact_tasks
(
    task_id UInt64,
    region_code String COMMENT 'ENGINE = MergeTree ORDER BY x; not a clause',
    version UInt64,
    is_deleted UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY region_code
ORDER BY (task_id)
SETTINGS index_granularity = 8192`;

describe('clusterizeDdl', () => {
  it('turns a ReplacingMergeTree fact table into a replicated local table and a Distributed table', () => {
    expect(clusterizeDdl(FACT, 'xuncha', { database: 'xuncha_db' })).toEqual([
      `CREATE TABLE IF NOT EXISTS fact_tasks_local ON CLUSTER 'xuncha'
(
    task_id UInt64,
    region_code String COMMENT 'ENGINE = MergeTree ORDER BY x; not a clause',
    version UInt64,
    is_deleted UInt8
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', version, is_deleted)
PARTITION BY region_code
ORDER BY (task_id)
SETTINGS index_granularity = 8192`,
      `CREATE TABLE IF NOT EXISTS fact_tasks ON CLUSTER 'xuncha' AS fact_tasks_local
ENGINE = Distributed('xuncha', 'xuncha_db', 'fact_tasks_local', cityHash64(task_id))`,
    ]);
  });

  it('shards by the whole sorting key, and uses currentDatabase() or the qualifier for the database', () => {
    const [local, distributed] = clusterizeDdl('CREATE TABLE fact_events (task_id UInt64, at DateTime) ENGINE = MergeTree ORDER BY (task_id, at)', 'c1');
    expect(local).toBe(
      "CREATE TABLE fact_events_local ON CLUSTER 'c1' (task_id UInt64, at DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}') ORDER BY (task_id, at)",
    );
    expect(distributed).toBe(
      "CREATE TABLE fact_events ON CLUSTER 'c1' AS fact_events_local\nENGINE = Distributed('c1', currentDatabase(), 'fact_events_local', cityHash64(task_id, at))",
    );
    const [qualifiedLocal, qualified] = clusterizeDdl('CREATE TABLE x.`fact_t` (a UInt8) ENGINE = SummingMergeTree() ORDER BY tuple()', 'c1');
    expect(qualifiedLocal).toBe(
      "CREATE TABLE x.`fact_t_local` ON CLUSTER 'c1' (a UInt8) ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}') ORDER BY tuple()",
    );
    expect(qualified).toBe("CREATE TABLE x.`fact_t` ON CLUSTER 'c1' AS x.`fact_t_local`\nENGINE = Distributed('c1', 'x', 'fact_t_local', rand())");
  });

  it('copies other MergeTree tables (dimensions) to every node, under their own name', () => {
    expect(
      clusterizeDdl(
        'CREATE TABLE IF NOT EXISTS dim_units (id UInt64, version UInt64, is_deleted UInt8) ENGINE = ReplacingMergeTree(version, is_deleted) ORDER BY id',
        'c1',
      ),
    ).toEqual([
      "CREATE TABLE IF NOT EXISTS dim_units ON CLUSTER 'c1' (id UInt64, version UInt64, is_deleted UInt8) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}', version, is_deleted) ORDER BY id",
    ]);
    const [local] = clusterizeDdl('CREATE TABLE lookups (k String) ENGINE = MergeTree ORDER BY k', 'c1', { isFactTable: (name) => name === 'lookups' });
    expect(local).toContain('CREATE TABLE lookups_local');
  });

  it('adds ON CLUSTER to other DDL and leaves the rest alone', () => {
    const script = [
      'CREATE DATABASE IF NOT EXISTS xuncha;',
      'CREATE TABLE IF NOT EXISTS dim_region (code String) ENGINE = Memory;',
      'CREATE VIEW IF NOT EXISTS v AS SELECT 1;',
      'ALTER TABLE fact_tasks ADD COLUMN IF NOT EXISTS note String;',
      'DROP TABLE IF EXISTS old_facts SYNC;',
      'TRUNCATE TABLE IF EXISTS scratch;',
      'RENAME TABLE a TO b;',
      "INSERT INTO dim_region VALUES ('330100');",
      'OPTIMIZE TABLE fact_tasks FINAL;',
    ].join('\n');
    expect(clusterizeDdl(script, 'c1')).toEqual([
      "CREATE DATABASE IF NOT EXISTS xuncha ON CLUSTER 'c1'",
      "CREATE TABLE IF NOT EXISTS dim_region ON CLUSTER 'c1' (code String) ENGINE = Memory",
      "CREATE VIEW IF NOT EXISTS v ON CLUSTER 'c1' AS SELECT 1",
      "ALTER TABLE fact_tasks ON CLUSTER 'c1' ADD COLUMN IF NOT EXISTS note String",
      "DROP TABLE IF EXISTS old_facts ON CLUSTER 'c1' SYNC",
      "TRUNCATE TABLE IF EXISTS scratch ON CLUSTER 'c1'",
      "RENAME TABLE a TO b ON CLUSTER 'c1'",
      "INSERT INTO dim_region VALUES ('330100')",
      'OPTIMIZE TABLE fact_tasks FINAL',
    ]);
  });

  it("replicates a materialized view's own engine without a Distributed table", () => {
    expect(clusterizeDdl('CREATE MATERIALIZED VIEW mv ENGINE = AggregatingMergeTree ORDER BY k AS SELECT k FROM t', 'c1')).toEqual([
      "CREATE MATERIALIZED VIEW mv ON CLUSTER 'c1' ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}') ORDER BY k AS SELECT k FROM t",
    ]);
  });

  it('leaves statements that already say ON CLUSTER, and Replicated engines written by hand', () => {
    const written = "CREATE TABLE t ON CLUSTER 'c1' (a UInt8) ENGINE = ReplicatedMergeTree('/p', 'r') ORDER BY a";
    expect(clusterizeDdl(written, 'c1')).toEqual([written]);
  });

  it('refuses DDL it does not understand, a MergeTree without ORDER BY, and a bad cluster name', () => {
    expect(() => clusterizeDdl('CREATE USER bob', 'c1')).toThrow(WarehouseError);
    expect(() => clusterizeDdl('CREATE TABLE fact_t (a Date) ENGINE = MergeTree(a, (a), 8192)', 'c1')).toThrow('needs ORDER BY');
    expect(() => clusterizeDdl('SELECT 1', "c1' --")).toThrow('invalid cluster name');
    expect(onCluster('{cluster}')).toBe("ON CLUSTER '{cluster}'");
  });
});
