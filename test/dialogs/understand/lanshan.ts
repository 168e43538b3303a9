import lanshanJson from '../../../data/counties/lanshan.json' with { type: 'json' };
import { CountyDirectory } from '../../../src/directory/schema.js';

/** The demo county directory, parsed once for all understanding tests. */
export const lanshan: CountyDirectory = CountyDirectory.parse(lanshanJson);
