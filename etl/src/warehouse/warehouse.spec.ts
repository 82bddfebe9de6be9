import path from 'node:path';
import { openWarehouse } from './open';
import { warehouseConfigFromEnv } from './warehouse';

describe('warehouseConfigFromEnv', () => {
  it('defaults to chDB in ./data/ch with the xuncha database', () => {
    expect(warehouseConfigFromEnv({})).toEqual({
      url: undefined,
      user: undefined,
      password: undefined,
      database: 'xuncha',
      dataDir: path.resolve('data', 'ch'),
      cluster: undefined,
    });
  });

  it('reads the server variables, and CH_DATA_DIR over DATA_DIR', () => {
    expect(
      warehouseConfigFromEnv({
        CLICKHOUSE_URL: 'http://ch:8123',
        CLICKHOUSE_USER: 'etl',
        CLICKHOUSE_PASSWORD: 'pw',
        CLICKHOUSE_DATABASE: 'xuncha_prod',
        CLICKHOUSE_CLUSTER: 'main',
        DATA_DIR: '/srv/xuncha',
      }),
    ).toEqual({ url: 'http://ch:8123', user: 'etl', password: 'pw', database: 'xuncha_prod', dataDir: '/srv/xuncha/ch', cluster: 'main' });
    expect(warehouseConfigFromEnv({ DATA_DIR: '/srv/xuncha', CH_DATA_DIR: '/fast/ch' }).dataDir).toBe('/fast/ch');
  });
});

describe('openWarehouse', () => {
  it('refuses a database name that is not a plain identifier, and a cluster without a server', async () => {
    await expect(openWarehouse({ database: 'x; DROP', dataDir: '/nonexistent' })).rejects.toThrow('invalid database name');
    await expect(openWarehouse({ database: 'xuncha', dataDir: '/nonexistent', cluster: 'main' })).rejects.toThrow('CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL');
  });
});
