import type { LoadedDirectory } from '../directory/store.js';

/** GeoReport v2 service list: one service per assistance category, named as the county names them. */
export function listServices(directory: LoadedDirectory) {
  return directory.directory.categories.map((c) => {
    const agency = directory.directory.agencies.find((a) => a.categories.includes(c.code));
    return {
      service_code: c.code,
      service_name: c.name,
      description: agency ? `${c.name}，由${agency.name}承办` : c.name,
      metadata: false,
      type: 'realtime',
      keywords: c.code,
      group: '社会救助',
    };
  });
}
