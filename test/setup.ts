// Every test file removes the temporary folders it made through tempDir(), pass or fail. A
// file's own afterAll hooks (closing databases, servers, browsers) run before this one.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);
