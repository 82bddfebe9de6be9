import { AppLogger, beijingIso } from './app-logger';

describe('AppLogger', () => {
  it('writes times in Beijing time as ISO 8601', () => {
    expect(beijingIso(new Date('2026-12-03T17:04:05.678Z'))).toBe('2026-12-04T01:04:05.678+08:00');
  });

  it('drops Nest’s route-mapping lines and keeps the others, each stamped in Beijing time', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const logger = new AppLogger({ colors: false, prefix: 'xuncha' });
      logger.log('Mapped {/api/tasks, GET} route', 'RouterExplorer');
      logger.log('TasksController {/api/tasks}:', 'RoutesResolver');
      logger.log('AppModule dependencies initialized', 'InstanceLoader');
      logger.log('GET /api/health 200 1.0ms', 'HTTP');
      const json = new AppLogger({ json: true, colors: false });
      json.log('GET /api/health 200 1.0ms', 'HTTP');
    } finally {
      spy.mockRestore();
    }
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^\[xuncha\] \d+ {2}- \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00 +LOG \[HTTP\] GET \/api\/health/);
    expect(JSON.parse(written[1]).timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
  });
});
