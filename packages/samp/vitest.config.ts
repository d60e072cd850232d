import { defineVokitConfig } from '../../vitest.shared.js';

export default defineVokitConfig();
