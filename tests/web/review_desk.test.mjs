// The review desk in a real browser: Debian's chromium, driven by playwright-core, against the
// built `enhancer serve` (embedded queue, SQLite, local media folder) and a loopback photo server
// of this test's own. Run by ctest (tests/web/CMakeLists.txt), or by hand:
//   ENHANCER_BINARY=build/enhancer ENHANCER_SHARED_DIR=../shared node --test tests/web/
// Environment:
//   ENHANCER_BINARY       the built enhancer (required)
//   ENHANCER_SHARED_DIR   the shared folder with testdata/images/*.jpg (required)
//   WEB_TEST_ARTIFACTS    where screenshots and the server's log go
//                         (default: <binary's folder>/test-artifacts/web)
//   CHROMIUM              the browser (default /usr/bin/chromium)
//
// Waits are for states (an attribute, a response), never fixed sleeps. Their timeouts only stop
// a broken run from hanging until ctest's TIMEOUT; none is a speed requirement.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {after, afterEach, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const kChromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                       '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const kWorkTimeoutMs = 120_000;  // one product through the worker; normally a few seconds
const kStartTimeoutMs = 60_000;

// Resolved now: the server runs in a temp folder, where a relative path would mean nothing.
const binary = process.env.ENHANCER_BINARY ? path.resolve(process.env.ENHANCER_BINARY) : '';
const sharedDir = process.env.ENHANCER_SHARED_DIR || '';
const artifacts = process.env.WEB_TEST_ARTIFACTS ||
                  (binary ? path.join(path.dirname(binary), 'test-artifacts', 'web') : '');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let chromium;          // playwright-core's launcher
let serve;             // {child, baseUrl, logPath}
let photos;            // {server, url(path), releaseSlow()}
let browser;
let desktop;           // a desktop-sized browser context
let tempDir;
const pageErrors = [];  // uncaught errors and console errors of every page, checked at the end

// --- setup -------------------------------------------------------------------------------------

async function loadPlaywright() {
  try {
    return (await import('playwright-core')).chromium;
  } catch (error) {
    throw new Error('playwright-core is not installed in tests/web/node_modules. ' +
                    'Run scripts/install-deps (it runs `npm ci` in tests/web). Cause: ' + error.message);
  }
}

function checkInputs() {
  const problems = [];
  if (!binary || !fs.existsSync(binary)) problems.push(`ENHANCER_BINARY must name the built enhancer (got "${binary}")`);
  if (!sharedDir || !fs.existsSync(path.join(sharedDir, 'testdata', 'images'))) {
    problems.push(`ENHANCER_SHARED_DIR must hold testdata/images (got "${sharedDir}")`);
  }
  if (!fs.existsSync(chromiumPath)) {
    problems.push(`no browser at ${chromiumPath}: run scripts/install-deps (it installs Debian's chromium)`);
  }
  if (problems.length) throw new Error(problems.join('; '));
}

// Serves test photos on 127.0.0.1: /photo.jpg, /missing.jpg (404), and /slow.jpg, which answers
// only once releaseSlow() is called, so a product can be held in "processing" for as long as a
// test needs.
async function startPhotoServer() {
  const photo = fs.readFileSync(path.join(sharedDir, 'testdata', 'images', 'coffee_1mp.jpg'));
  const slowPhoto = fs.readFileSync(path.join(sharedDir, 'testdata', 'images', 'smarties_1mp.jpg'));
  let releaseSlow;
  const slowGate = new Promise((resolve) => { releaseSlow = resolve; });
  const sockets = new Set();
  const server = http.createServer(async (req, res) => {
    if (req.url === '/photo.jpg') {
      res.writeHead(200, {'Content-Type': 'image/jpeg', 'Content-Length': photo.length}).end(photo);
    } else if (req.url === '/slow.jpg') {
      await slowGate;
      res.writeHead(200, {'Content-Type': 'image/jpeg', 'Content-Length': slowPhoto.length}).end(slowPhoto);
    } else {
      res.writeHead(404, {'Content-Type': 'text/plain'}).end('not here');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address();
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    releaseSlow: () => releaseSlow(),
    close: () => new Promise((resolve) => {
      releaseSlow();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

// Starts `enhancer serve` in its own temp folder and resolves once it logs its address.
function startServe() {
  const logPath = path.join(artifacts, 'serve.log');
  const log = fs.createWriteStream(logPath);
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: 'sqlite://' + path.join(tempDir, 'enhancer.db'),
    EMBEDDED_QUEUE_PATH: path.join(tempDir, 'queue.db'),
    MEDIA_DIR: path.join(tempDir, 'media'),
    FETCH_ALLOWED_NETWORKS: '127.0.0.0/8',
    RECEIVE_WAIT_SECONDS: '1',
    ENHANCED_IMAGES_COUNT: '3',
    WORKER_CONCURRENCY: '2',
  };
  // Cloud settings from the caller's shell would send this test to the cloud: none of that.
  for (const name of ['SQS_QUEUE_URL', 'S3_BUCKET', 'GEMINI_API_KEY', 'GEMINI_MODEL']) delete env[name];
  const child = spawn(binary, ['serve'], {cwd: tempDir, env, stdio: ['ignore', 'pipe', 'pipe']});
  return new Promise((resolve, reject) => {
    let seen = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`enhancer serve did not log its address; see ${logPath}`)),
                             kStartTimeoutMs);
    function finish(error, value) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) reject(error); else resolve(value);
    }
    const onData = (chunk) => {
      log.write(chunk);
      if (done) return;
      seen += chunk.toString();
      const match = seen.match(/Listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) finish(null, {child, baseUrl: match[1], logPath});
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) => {
      log.end();
      finish(new Error(`enhancer serve exited (code ${code}, signal ${signal}) before listening:\n${seen.slice(-2000)}`));
    });
  });
}

async function stopServe() {
  if (!serve?.child || serve.child.exitCode !== null || serve.child.signalCode !== null) return;
  const exited = new Promise((resolve) => serve.child.once('exit', resolve));
  serve.child.kill('SIGTERM');  // by pid: the child we started, nothing else
  // It drains running jobs and exits; a stuck one is killed rather than left behind.
  const stuck = setTimeout(() => serve.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(stuck);
}

const openPages = new Map();  // name -> page, until the test that opened it closes it

// A new page whose errors are collected; if its test fails before closing it, afterEach keeps a
// screenshot of it as failed-<name>.png.
async function openPage(context, name) {
  const page = watchPage(await context.newPage(), name);
  openPages.set(name, page);
  page.on('close', () => openPages.delete(name));
  return page;
}

function watchPage(page, name) {
  page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
  page.on('console', (message) => {
    // A photo URL that answers 404 is part of the failure test; every other error counts.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      pageErrors.push(`${name}: console: ${message.text()}`);
    }
  });
  return page;
}

async function api(method, route, body) {
  const response = await fetch(serve.baseUrl + route, {
    method, headers: body ? {'Content-Type': 'application/json'} : {},
    body: body ? JSON.stringify(body) : undefined});
  const json = await response.json();
  return {status: response.status, json};
}

// --- helpers for the page -------------------------------------------------------------------------

async function createThroughForm(page, {name, category, url, file, count}) {
  await page.goto(serve.baseUrl + '/#/new');
  await page.fill('#new-name', name);
  if (category) await page.fill('#new-category', category);
  if (file) {
    await page.check('#source-file');
    await page.setInputFiles('#new-file', file);
  } else {
    await page.fill('#new-url', url);
  }
  if (count) await page.fill('#new-count', String(count));
  await page.click('#create-submit');
  await page.waitForURL(/#\/products\/\d+$/);
  return Number(page.url().match(/#\/products\/(\d+)$/)[1]);
}

function waitForProductStatus(page, status) {
  return page.waitForSelector(`.product-view[data-status="${status}"]`, {timeout: kWorkTimeoutMs});
}

async function screenshot(page, name) {
  await page.screenshot({path: path.join(artifacts, name), fullPage: true});
}

// Every image in the given locator has loaded (lazy ones are scrolled to first).
async function imagesLoaded(locator) {
  await locator.scrollIntoViewIfNeeded();
  await locator.locator('img').evaluateAll((images) => Promise.all(images.map((img) =>
    img.complete ? null : new Promise((resolve) => {
      img.addEventListener('load', resolve, {once: true});
      img.addEventListener('error', resolve, {once: true});
    }))));
  return locator.locator('img').evaluateAll((images) => images.every((img) => img.naturalWidth > 0));
}

// --- the tests ------------------------------------------------------------------------------------

describe('review desk', () => {
  before(async () => {
    chromium = await loadPlaywright();
    checkInputs();
    fs.mkdirSync(artifacts, {recursive: true});
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enhancer-web-'));
    photos = await startPhotoServer();
    serve = await startServe();
    browser = await chromium.launch({executablePath: chromiumPath, args: kChromiumArgs, headless: true});
    desktop = await browser.newContext({viewport: {width: 1280, height: 900}});
  });

  after(async () => {
    // Each step on its own, so one failure does not leave the others running.
    await browser?.close().catch(() => {});
    await photos?.close().catch(() => {});
    await stopServe().catch(() => {});
    if (tempDir) fs.rmSync(tempDir, {recursive: true, force: true});
  });

  afterEach(async () => {
    for (const [name, page] of openPages) {
      await page.screenshot({path: path.join(artifacts, `failed-${name}.png`), fullPage: true}).catch(() => {});
      await page.close().catch(() => {});
    }
  });

  let reviewedId = 0;

  test('create from a URL, enhance, review with the slider, approve one and reject the others', async () => {
    const page = await openPage(desktop, 'review');
    const id = await createThroughForm(page, {name: 'Coffee cup', category: 'kitchen', url: photos.url('/photo.jpg')});
    reviewedId = id;
    await waitForProductStatus(page, 'pending_review');

    const cards = page.locator('.image-card');
    assert.equal(await cards.count(), 3);
    const first = cards.first();
    assert.ok((await first.locator('.image-card__variant').textContent()).trim().length > 0, 'variant name shown');
    assert.ok((await first.locator('.image-card__prompt').textContent()).trim().length > 0, 'prompt shown');
    const recipe = first.locator('table.ec-recipe');
    assert.ok(await recipe.isVisible(), 'recipe table visible');
    assert.match(await recipe.textContent(), /Gamma/);
    assert.match(await recipe.textContent(), /Saturation/);
    assert.ok(await imagesLoaded(first.locator('.ec-comparison')), 'raw and enhanced images load');

    // The slider, by keyboard only.
    const range = first.locator('input.ec-comparison__range');
    assert.match(await range.getAttribute('aria-label'), /^Compare original and /);
    assert.equal(await range.inputValue(), '50');
    await range.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await range.inputValue(), '60');
    const position = await first.locator('.ec-comparison').evaluate((el) => el.style.getPropertyValue('--ec-pos'));
    assert.equal(position, '60%');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await range.inputValue(), '59');
    assert.ok(await imagesLoaded(page.locator('.image-list')), 'every image of the review loads');
    await range.focus();  // back at the top, with the focus ring in the screenshot
    await screenshot(page, 'desktop-review.png');

    // Approve the first by keyboard, reject the others by clicking.
    const imageIds = await cards.evaluateAll((nodes) => nodes.map((n) => Number(n.dataset.imageId)));
    await page.focus(`#approve-${imageIds[0]}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.image-card[data-image-id="${imageIds[0]}"][data-status="approved"]`);
    for (const imageId of imageIds.slice(1)) {
      await page.click(`#reject-${imageId}`);
      await page.waitForSelector(`.image-card[data-image-id="${imageId}"][data-status="rejected"]`);
    }
    await waitForProductStatus(page, 'approved');
    assert.equal(await page.locator('.product-head .badge').textContent(), 'Approved');
    const stored = await api('GET', `/products/${id}`);
    assert.equal(stored.json.status, 'approved');
    assert.deepEqual(stored.json.images.map((i) => i.status), ['approved', 'rejected', 'rejected']);
    await screenshot(page, 'desktop-approved.png');
    await page.close();
  });

  test('upload a file, make 2 images, approve all', async () => {
    const page = await openPage(desktop, 'upload');
    const id = await createThroughForm(page, {
      name: 'Rocket toy', category: 'toys', count: 2,
      file: path.join(sharedDir, 'testdata', 'images', 'rocket_1mp.jpg')});
    await waitForProductStatus(page, 'pending_review');
    assert.equal(await page.locator('.image-card').count(), 2);
    assert.equal((await page.locator('#approve-all').textContent()).trim(), 'Approve all (2)');
    await page.click('#approve-all');
    await waitForProductStatus(page, 'approved');
    assert.equal(await page.locator('.image-card[data-status="approved"]').count(), 2);
    const stored = await api('GET', `/products/${id}`);
    assert.match(stored.json.raw_image_url, /^uploads\//);
    assert.equal(stored.json.status, 'approved');
    await page.close();
  });

  test('a photo URL that answers 404 fails with its reason, and retry enhances again', async () => {
    const page = await openPage(desktop, 'failure');
    const id = await createThroughForm(page, {name: 'Lost lamp', category: 'home', url: photos.url('/missing.jpg')});
    await waitForProductStatus(page, 'failed');
    assert.ok(await page.locator('#failure-reason').isVisible());
    assert.match(await page.locator('#failure-reason').textContent(), /HTTP 404/);

    const retried = page.waitForResponse((r) => r.request().method() === 'POST' &&
                                               r.url().endsWith(`/products/${id}/enhance`));
    await page.click('#retry');
    const response = await retried;
    assert.equal(response.status(), 202);
    assert.equal((await response.json()).status, 'queued');
    // The button stays disabled until the page shows the product as it is after the retry; the
    // worker may fail it again before the page looks, so only that end state is certain.
    await page.waitForSelector('.product-view[data-status="failed"] #retry:enabled', {timeout: kWorkTimeoutMs});
    assert.match(await page.locator('#failure-reason').textContent(), /HTTP 404/);
    await screenshot(page, 'desktop-failed.png');

    // The list, filtered to failures, shows the reason and a retry button on the card.
    await page.goto(serve.baseUrl + '/#/?status=failed');
    const card = page.locator(`.product-card[data-product-id="${id}"]`);
    await card.waitFor();
    assert.match(await card.locator('.error-reason').textContent(), /HTTP 404/);
    assert.ok(await card.locator(`#retry-${id}`).isVisible());
    assert.equal(await page.locator('.product-card').count(), 1, 'only failed products are listed');
    assert.equal(await page.locator('#status-tab-failed').getAttribute('aria-pressed'), 'true');
    assert.equal((await page.locator('#status-tab-failed .status-tabs__count').textContent()).trim(), '1');
    await page.close();
  });

  test('the list follows the worker without a page reload', async () => {
    // The photo server holds /slow.jpg back, so the product stays processing until released.
    const created = await api('POST', '/products', {name: 'Sweets jar', category: 'food', raw_image_url: photos.url('/slow.jpg')});
    assert.equal(created.status, 201);
    const id = created.json.id;
    assert.equal((await api('POST', `/products/${id}/enhance`, {count: 1})).status, 202);

    const page = await openPage(desktop, 'list');
    await page.goto(serve.baseUrl + '/#/');
    await page.evaluate(() => { window.sameDocument = true; });
    const card = page.locator(`.product-card[data-product-id="${id}"]`);
    await page.waitForSelector(`.product-card[data-product-id="${id}"]:is([data-status="queued"], [data-status="processing"])`);
    const busyCount = async () => Number(await page.locator('#status-tab-queued .status-tabs__count').textContent()) +
                                  Number(await page.locator('#status-tab-processing .status-tabs__count').textContent());
    assert.equal(await busyCount(), 1);
    await screenshot(page, 'desktop-list-processing.png');

    photos.releaseSlow();
    await page.waitForSelector(`.product-card[data-product-id="${id}"][data-status="pending_review"]`,
                               {timeout: kWorkTimeoutMs});
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page was not reloaded');
    assert.match(await card.textContent(), /Pending review/);
    await page.waitForFunction(() => document.querySelector('#status-tab-processing .status-tabs__count')?.textContent === '0');
    assert.equal(await busyCount(), 0);

    // Filtering by category narrows the list without a reload.
    await page.fill('#category-filter', 'kitchen');
    await page.press('#category-filter', 'Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('.product-card')].length > 0 &&
      [...document.querySelectorAll('.product-card__category')].every((m) => m.textContent.startsWith('kitchen')));
    assert.equal(await page.evaluate(() => window.sameDocument), true);
    await page.close();
  });

  test('an API error that names a field is shown next to that field', async () => {
    const page = await openPage(desktop, 'errors');
    await page.goto(serve.baseUrl + '/#/new');
    await page.click('#create-submit');
    assert.equal(await page.locator('#new-name-error').textContent(), 'Enter a name.');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'new-name');

    await page.fill('#new-name', 'Bad link');
    await page.fill('#new-url', 'ftp://example.com/a.jpg');
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/products'));
    await page.click('#create-submit');
    assert.equal((await answered).status(), 400);
    const error = page.locator('#new-url-error');
    await error.waitFor();
    assert.match(await error.textContent(), /raw_image_url must be an http/);
    assert.equal(await page.locator('#new-url').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#new-name-error').isVisible(), false);
    await screenshot(page, 'desktop-field-error.png');
    await page.close();
  });

  test('a 401 asks for the API token, keeps it, and sends it', async () => {
    const context = await browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await openPage(context, 'token');
    // The server under test has no token check: this stands in for one on the write routes.
    const seen = [];
    await page.route(/\/(products|uploads)(\/\d+\/enhance)?$/, async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.continue();
      const auth = request.headers().authorization || '';
      seen.push(auth);
      if (auth !== 'Bearer s3cret') {
        return route.fulfill({status: 401, contentType: 'application/json',
                              body: JSON.stringify({error: {code: 'unauthenticated', message: 'an API token is required'}})});
      }
      return route.continue();
    });
    await page.goto(serve.baseUrl + '/#/new');
    await page.fill('#new-name', 'Locked box');
    await page.fill('#new-url', photos.url('/photo.jpg'));
    await page.fill('#new-count', '1');
    await page.click('#create-submit');
    await page.waitForSelector('#token-dialog[open]');
    assert.match(await page.locator('#token-reason').textContent(), /an API token is required/);
    await screenshot(page, 'desktop-token.png');
    await page.fill('#token-input', 's3cret');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/products\/\d+$/);
    assert.equal(await page.evaluate(() => localStorage.getItem('enhancer.apiToken')), 's3cret');
    assert.deepEqual(seen, ['', 'Bearer s3cret', 'Bearer s3cret']);  // create (refused, again), enhance
    await waitForProductStatus(page, 'pending_review');
    await context.close();
  });

  test('a phone-sized screen (375 px) shows the list, the review and the form without sideways scrolling', async () => {
    const phone = await browser.newContext({viewport: {width: 375, height: 812}, isMobile: true, hasTouch: true,
                                            deviceScaleFactor: 2});
    const page = await openPage(phone, 'phone');
    const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

    await page.goto(serve.baseUrl + '/#/');
    await page.waitForSelector('.product-card');
    assert.ok(await imagesLoaded(page.locator('.product-card').first()));
    assert.ok(await noSideways(), 'list fits 375 px');
    await screenshot(page, 'phone-list.png');

    await page.goto(serve.baseUrl + `/#/products/${reviewedId}`);
    await waitForProductStatus(page, 'approved');
    assert.ok(await imagesLoaded(page.locator('.image-list')), 'every image of the review loads');
    await page.evaluate(() => window.scrollTo(0, 0));
    assert.ok(await noSideways(), 'review fits 375 px');
    const compare = await page.locator('.ec-comparison').first().boundingBox();
    assert.ok(compare.width > 300 && compare.x >= 0 && compare.x + compare.width <= 375, 'slider spans the screen');
    await screenshot(page, 'phone-review.png');

    await page.goto(serve.baseUrl + '/#/new');
    await page.waitForSelector('#new-name');
    assert.ok(await noSideways(), 'form fits 375 px');
    await screenshot(page, 'phone-new.png');
    await phone.close();
  });

  test('the list pages with the API cursor ("Load more")', async () => {
    // Drafts cost the worker nothing; 30 is more than one page (24).
    for (let i = 1; i <= 30; i++) {
      assert.equal((await api('POST', '/products', {name: `Draft ${i}`, category: 'bulk', raw_image_url: photos.url('/photo.jpg')})).status, 201);
    }
    const page = await openPage(desktop, 'paging');
    await page.goto(serve.baseUrl + '/#/?status=draft&category=bulk');
    await page.waitForSelector('#load-more');
    assert.equal(await page.locator('.product-card').count(), 24);
    assert.equal((await page.locator('#status-tab-draft .status-tabs__count').textContent()).trim(), '30');
    await page.click('#load-more');
    await page.waitForFunction(() => document.querySelectorAll('.product-card').length === 30);
    assert.equal(await page.locator('#load-more').isVisible(), false, 'no more pages');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Draft 25', 'focus moves to the first new card');
    await page.close();
  });

  test('components.js and components.css work inlined into one offline page (the contact sheet)', async () => {
    const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'assets');
    const js = fs.readFileSync(path.join(assets, 'components.js'), 'utf8');
    const css = fs.readFileSync(path.join(assets, 'components.css'), 'utf8');
    const svg = (colour) => 'data:image/svg+xml,' + encodeURIComponent(
      `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="${colour}"/></svg>`);
    const page = await openPage(desktop, 'inlined');
    await page.setContent(`<!doctype html><html><head><style>${css}</style></head><body>
      <div id="sheet" style="width: 400px"></div>
      <script>${js}</script>
      <script>
        const {createComparison, createRecipeTable} = window.enhancerComponents;
        document.getElementById('sheet').append(
          createComparison({beforeUrl: ${JSON.stringify(svg('#333'))}, afterUrl: ${JSON.stringify(svg('#ccc'))},
                            label: 'Compare original and vivid', width: 40, height: 30}),
          createRecipeTable({name: 'vivid', prompt: 'p', gamma: 1.2, saturation: 1.3, white_balance: [1, 1, 1.1],
                             custom_knob: 7}));
      </script></body></html>`);
    const range = page.getByRole('slider', {name: 'Compare original and vivid'});
    await range.focus();
    await page.keyboard.press('End');
    assert.equal(await range.inputValue(), '100');
    await page.keyboard.press('PageDown');
    assert.equal(Number(await range.inputValue()) < 100, true);
    const box = await page.locator('.ec-comparison').boundingBox();
    assert.equal(Math.round(box.width / box.height * 100), Math.round(40 / 30 * 100), 'aspect ratio reserved');
    const table = await page.locator('table.ec-recipe').innerText();
    assert.match(table, /Gamma\s+1\.20/);
    assert.match(table, /brighter midtones/);
    assert.match(table, /custom_knob\s+7/);
    assert.doesNotMatch(table, /Denoise/, 'fields the recipe lacks are left out');
    await page.close();
  });

  test('no script errors or CSP violations on any page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
