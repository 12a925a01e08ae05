// Browser checks for policyc's HTML output, in one headless Chromium.
//
//   node a11y.mjs OUT_DIR SCREENSHOT_DIR PRINT_DIR      (E2E_JOBS=3 pages at a time)
//
// For every .html file under OUT_DIR:
//   - axe-core at WCAG 2.1 AA (wcag2a, wcag2aa, wcag21a, wcag21aa): zero violations;
//   - nothing is fetched from outside the page (only file: and data: URLs);
//   - at 390 CSS px wide (a phone): a full-page screenshot into SCREENSHOT_DIR,
//     and no horizontal overflow (documentElement.scrollWidth <= 390).
// For every document page (the ones with a policyc-document-id) also:
//   - Chromium's print to A4 PDF (into PRINT_DIR), read back with pdftotext:
//     the signature block's heading and its closing "Document ID" line land
//     on the same page, and no .noprint text (navigation chrome) is printed.
//
// Each failure is one line on stdout, `FAIL <file>: <rule>: <detail>`;
// the caller counts them. Other lines are informational.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readdirSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PHONE_WIDTH = 390;

const [outDir, shotDir, printDir] = process.argv.slice(2).map((p) => resolve(p));
if (!outDir || !shotDir || !printDir) {
  console.error('usage: node a11y.mjs OUT_DIR SCREENSHOT_DIR PRINT_DIR');
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });
mkdirSync(printDir, { recursive: true });

// Pages are checked a few at a time; failures are printed sorted at the end.
const failures = [];
const fail = (file, rule, detail) => {
  failures.push(`FAIL ${file}: ${rule}${detail ? `: ${detail}` : ''}`);
};
const norm = (s) => s.replace(/\s+/g, ' ').trim();

function htmlFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...htmlFiles(path));
    else if (entry.name.endsWith('.html')) found.push(path);
  }
  return found.sort();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

// Pages must be self-contained: anything but file: and data: is refused
// and reported.
async function guard(page, external) {
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    external.push(url);
    return route.abort();
  });
}

const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const phone = await browser.newContext({
  viewport: { width: PHONE_WIDTH, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 1,
});

async function axeCheck(page, file) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  for (const v of result.violations) {
    const targets = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
    const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
    fail(file, `axe/${v.id}`, `${v.impact}: ${v.help} [${targets}${more}]`);
  }
}

async function printCheck(page, file, slug) {
  const probe = await page.evaluate(() => {
    // The block's heading, or with none (an empty heading label) its first
    // field's label: either is one short line in print.
    const heading = document.querySelector('section.signature h2')
      || document.querySelector('section.signature .fields span');
    const docid = document.querySelector('section.signature .docid');
    // Navigation chrome, found without trusting the .noprint class that should
    // hide it: whatever is marked .noprint, every link in the page footer, and
    // every link to another policyc page or to the PDF.
    const chrome = [
      // (An agreement's link to its privacy notice is content: it prints.)
      ...document.querySelectorAll('.noprint, footer a, a[href$=".pdf"], a[href$=".html"]:not(.notice-link)'),
    ].flatMap((el) => {
      const links = el.matches('a') ? [el] : [...el.querySelectorAll('a')];
      return links.length ? links.map((a) => a.textContent) : [el.textContent];
    });
    const noprint = [...new Set(['Download the printable PDF', ...chrome])];
    const footerId = document.querySelector('footer .docid-value');
    return {
      notice: document.querySelector('main[data-kind="notice"]') !== null,
      signature: document.querySelector('section.signature') !== null,
      footerId: footerId ? footerId.textContent : null,
      heading: heading ? heading.textContent : null,
      docid: docid ? docid.textContent : null,
      noprint,
    };
  });
  if (probe.notice) {
    // A notice is read, never signed: no signature block, and its Document
    // ID still reaches the printed page.
    if (probe.signature) fail(file, 'print/notice-signature', 'a notice has a signature block');
    const pdf = join(printDir, `${slug}.pdf`);
    await page.pdf({ path: pdf, format: 'A4' });
    const text = norm(execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }));
    if (!probe.footerId || !text.includes(norm(probe.footerId))) {
      fail(file, 'print/notice-docid', 'the Document ID is not on the printed notice');
    }
    for (const chrome of probe.noprint.map(norm).filter(Boolean)) {
      if (text.includes(chrome)) fail(file, 'print/navigation-chrome', `"${chrome}" is printed`);
    }
    return;
  }
  if (!probe.heading || !probe.docid) {
    fail(file, 'print/signature-block', 'no section.signature with an h2 (or a field) and a .docid line');
    return;
  }
  const pdf = join(printDir, `${slug}.pdf`);
  await page.pdf({ path: pdf, format: 'A4' });

  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (!/Page size:.*\(A4\)/.test(info)) fail(file, 'print/a4', `page size is not A4 (${(info.match(/Page size:\s*(.*)/) || [])[1]})`);

  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
  const pages = text.split('\f').map((p) => p.split('\n').map(norm));
  const onPages = (line) => pages.flatMap((lines, i) => (lines.includes(line) ? [i + 1] : []));
  const heading = norm(probe.heading);
  const docid = norm(probe.docid);
  const hp = onPages(heading);
  const dp = onPages(docid);
  if (hp.length === 0) fail(file, 'print/signature-heading', `"${heading}" not found as a line in the print`);
  else if (dp.length === 0) fail(file, 'print/signature-docid', `"${docid}" not found as a line in the print`);
  else {
    // The signature heading is the last such heading; its Document ID line is
    // the first one after it.
    const start = hp[hp.length - 1];
    const end = dp.find((p) => p >= start);
    if (end !== start) {
      fail(file, 'print/signature-split', `"${heading}" on page ${start} but "${docid}" on page ${end ?? dp.join(',')}`);
    }
  }
  const flat = norm(text);
  for (const chrome of probe.noprint.map(norm).filter(Boolean)) {
    if (flat.includes(chrome)) fail(file, 'print/navigation-chrome', `"${chrome}" is printed`);
  }
}

async function phoneCheck(file, url, slug, external) {
  const page = await phone.newPage();
  await guard(page, external);
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.screenshot({ path: join(shotDir, `${slug}.png`), fullPage: true });
    const overflow = await page.evaluate((width) => {
      const scrollWidth = document.documentElement.scrollWidth;
      if (scrollWidth <= width) return null;
      // Name the innermost elements that stick out, to say what to fix.
      const culprits = [...document.body.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5)
        .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5))
        .slice(0, 3)
        .map((el) => el.tagName.toLowerCase() + (el.className ? `.${String(el.className).split(' ')[0]}` : '') + (el.id ? `#${el.id}` : ''));
      return { scrollWidth, culprits };
    }, PHONE_WIDTH);
    if (overflow) {
      fail(file, 'phone/horizontal-overflow', `scrollWidth ${overflow.scrollWidth} > ${PHONE_WIDTH} (${overflow.culprits.join(', ')})`);
    }
  } finally {
    await page.close();
  }
}

async function checkFile(path) {
  const file = relative(outDir, path);
  const slug = file.replace(/\.html$/, '').replace(/[\\/]/g, '-');
  const url = pathToFileURL(path).href;
  const external = [];
  const page = await desktop.newPage();
  await guard(page, external);
  try {
    await page.goto(url, { waitUntil: 'load' });
    const lang = await page.evaluate(() => document.documentElement.lang);
    if (!lang) fail(file, 'html/lang', 'no lang on <html>');
    await axeCheck(page, file);
    const isDocument = await page.evaluate(() => !!document.querySelector('meta[name="policyc-document-id"]'));
    if (isDocument) {
      await printCheck(page, file, slug);
      printed += 1;
    }
  } catch (err) {
    fail(file, 'browser/error', String(err.message || err).split('\n')[0]);
  } finally {
    await page.close();
  }
  try {
    await phoneCheck(file, url, slug, external);
  } catch (err) {
    fail(file, 'phone/error', String(err.message || err).split('\n')[0]);
  }
  for (const u of [...new Set(external)]) fail(file, 'html/external-request', u);
}

// One browser, a few pages at a time: most of a page's time is spent
// waiting on Chromium, not computing in node.
const files = htmlFiles(outDir);
const queue = [...files];
let printed = 0;
const jobs = Math.max(1, Number(process.env.E2E_JOBS) || 3);
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (queue.length) await checkFile(queue.shift());
  }),
);

await browser.close();
for (const line of failures.sort()) console.log(line);
console.log(`browser: ${files.length} pages checked (axe ${AXE_TAGS.join(',')}; ${printed} printed to A4; phone ${PHONE_WIDTH}px), ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
