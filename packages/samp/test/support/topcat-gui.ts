// Drives TOPCAT's Swing GUI under Xvfb with xdotool, so that TOPCAT sends SAMP messages of its
// own accord (it sends none headless otherwise). There is no window manager on the Xvfb screen:
// TOPCAT's windows sit where Swing puts them, the main one at (0,0), dialogs at (60,60), and the
// offsets below were read off screenshots (`import -window root`) of TOPCAT 4.8.7 with
// xfonts-base on a 1280x1024 screen. Each click is relative to the window found by its title.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sleep } from './temp.js';

const run = promisify(execFile);

/** A point inside a window, in pixels from its top-left corner. */
type Offset = readonly [x: number, y: number];

/** Where things are in TOPCAT 4.8.7's windows. */
export const TOPCAT_GUI = {
  main: {
    title: '^TOPCAT$',
    interopMenu: [355, 9] as Offset,
    /** Interop ▸ Broadcast table (sends the current table to every client). */
    broadcastTableItem: [415, 94] as Offset,
    viewsMenu: [63, 9] as Offset,
    /** Views ▸ Activation Actions. */
    activationActionsItem: [134, 181] as Offset,
    /** Toolbar: Table Data (opens the Table Browser). */
    tableDataButton: [161, 40] as Offset,
  },
  activation: {
    title: 'Activation Actions$',
    /** The checkbox of the "Send row index" action (table.highlight.row to all clients). */
    sendRowIndexCheckbox: [40, 301] as Offset,
    /** Toolbar: close the window. */
    closeButton: [455, 39] as Offset,
  },
  browser: {
    title: 'Table Browser$',
    /** Left edge of the first data row's `name` cell; rows are 16 px apart. */
    firstRow: [222, 113] as Offset,
    rowHeight: 16,
  },
} as const;

/** Drives the X display `display` (e.g. `:3`). */
export class TopcatGui {
  constructor(readonly display: string) {}

  private xdotool(args: string[]): Promise<string> {
    return run('xdotool', args, { env: { ...process.env, DISPLAY: this.display }, timeout: 10_000 }).then((r) => r.stdout);
  }

  /** The id and position of the visible window whose title matches `title` (a regex), waiting for it to appear. */
  async findWindow(title: string, timeoutMs = 10_000): Promise<{ id: string; x: number; y: number; width: number; height: number }> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const ids = (await this.xdotool(['search', '--onlyvisible', '--name', title]).catch(() => '')).split('\n').filter(Boolean);
      for (const id of ids) {
        const shell = await this.xdotool(['getwindowgeometry', '--shell', id]).catch(() => '');
        const value = (key: string) => Number(new RegExp(`^${key}=(\\d+)$`, 'm').exec(shell)?.[1]);
        const geometry = { id, x: value('X'), y: value('Y'), width: value('WIDTH'), height: value('HEIGHT') };
        // Java maps a 1x1 helper window with the application's name too; skip it.
        if (geometry.width > 100 && geometry.height > 100) return geometry;
      }
      if (Date.now() > end) throw new Error(`no window titled /${title}/ on ${this.display} within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Clicks at `offset` inside the window titled `title`, then lets the GUI react for `settleMs`. */
  async click(title: string, offset: Offset, settleMs = 400): Promise<void> {
    const w = await this.findWindow(title);
    await this.xdotool(['mousemove', '--sync', String(w.x + offset[0]), String(w.y + offset[1]), 'click', '1']);
    await sleep(settleMs);
  }

  /**
   * Runs `open` until a window titled `title` shows (a click on a menu that Swing has not yet
   * laid out is lost), at most `attempts` times, pressing Escape in between.
   */
  async openWindow(title: string, open: () => Promise<void>, attempts = 3): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await open();
      if (await this.findWindow(title, 5000).then(() => true, () => false)) return;
      if (attempt >= attempts) throw new Error(`no window titled /${title}/ on ${this.display} after ${attempts} attempts`);
      await this.escape();
    }
  }

  /** Presses Escape (closes an open menu). */
  async escape(): Promise<void> {
    await this.xdotool(['key', 'Escape']);
    await sleep(200);
  }

  /** True if a window titled `title` is visible now. */
  async hasWindow(title: string): Promise<boolean> {
    return this.findWindow(title, 0).then(
      () => true,
      () => false,
    );
  }

  /** A PNG screenshot of the whole screen (for failure reports), or undefined without ImageMagick. */
  async screenshot(path: string): Promise<string | undefined> {
    return run('import', ['-window', 'root', path], { env: { ...process.env, DISPLAY: this.display }, timeout: 10_000 }).then(
      () => path,
      () => undefined,
    );
  }
}
