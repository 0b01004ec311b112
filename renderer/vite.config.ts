import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built once into renderer/dist and served from the app:// scheme (never a dev server in the packaged app).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'chrome130', modulePreload: { polyfill: false } },
  server: { fs: { allow: ['..'] } },
});
