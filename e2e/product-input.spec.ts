/**
 * Private input as people really give it (issue 7, part 1): a number, mixed lists,
 * thousands separators and decimal commas read back in words, a pasted spreadsheet range,
 * a chosen CSV file and a dropped one (with a column to pick), bad input that keeps the
 * text, and Ctrl+Enter for "I'm ready". One host in a room is enough: nothing here needs
 * a peer, which keeps the spec fast.
 */
import { expect, test, type Page } from '@playwright/test';
import { closeAll, newParty, openRoom, readResult } from './parties';

const CSV = 'name,salary,bonus\nAlice,"52,000.50",10\nBob,"48,250.00",20\nCarol,"61,000.00",30\n';

async function openHostRoom(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('display-name').fill('Host');
  await page.getByTestId('create-room').click();
  await expect(page.getByTestId('room-link')).toContainText('#/room/');
}

/** Paste like a person does (a real paste event with clipboard data), not fill(). */
async function paste(page: Page, text: string): Promise<void> {
  await page.getByTestId('private-input').evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

test('input: numbers, lists, separators, spreadsheet paste, CSV file chosen and dropped, bad input, Ctrl+Enter', async ({ browser }) => {
  const { context, page } = await newParty(browser, 'Host');
  await openHostRoom(page);
  const input = page.getByTestId('private-input');
  const read = page.getByTestId('input-read');
  const error = page.getByTestId('input-error');

  await test.step('one number and a list with any mix of commas, spaces and new lines', async () => {
    await input.fill('52000');
    await expect(read).toContainText('1 value read: 52,000');
    await input.fill('1, 2;3\n-4\t5.50');
    await expect(read).toContainText('5 values read: 1.00 · 2.00 · 3.00 · −4.00 · 5.50');
  });

  await test.step('thousands separators and decimal commas are read predictably and said back', async () => {
    await input.fill('1,250.50');
    await expect(read).toContainText('1 value read: 1,250.50');
    await expect(page.getByTestId('input-note')).toHaveText('We read 1,250.50 as 1250.50 (the separators group thousands).');
    await input.fill('1,25\n2,5');
    await expect(page.getByTestId('input-note')).toHaveText('We read 1,25 as 1.25 (decimal comma).');
    await input.fill('1,250');
    await expect(read).toContainText('2 values read');
    // One typed field read as two values changes what was meant: a warning to confirm.
    await expect(page.getByTestId('input-warning')).toContainText('Commas separate values here, so 1,250 is 2 values.');
    await expect(page.getByTestId('ready')).toBeDisabled();
    await page.getByTestId('input-confirm').check();
    await expect(page.getByTestId('ready')).toBeEnabled();
    await input.fill('1,2500'); // a changed text needs a new confirmation
    await expect(page.getByTestId('input-confirm')).not.toBeChecked();
  });

  await test.step('issue 18 misreadings in the browser: header row, currency, "79 500", €72.000', async () => {
    await input.fill('Salary\n68,250.75');
    await expect(read).toContainText('1 value read: 68,250.75');
    await expect(page.getByTestId('input-note').filter({ hasText: '“Salary” is a header: skipped' })).toHaveCount(1);
    // Pasted, it is not taken for CSV (which would cut 68,250.75 at its comma): the text stays.
    await input.fill('');
    await paste(page, 'Salary\n68,250.75\n72,000.00');
    await expect(page.getByTestId('column-picker')).toHaveCount(0);
    await input.fill('Salary\n68,250.75\n72,000.00');
    await expect(read).toContainText('2 values read: 68,250.75 · 72,000.00');
    await input.fill('€72,000');
    await expect(read).toContainText('1 value read: €72,000');
    await expect(page.getByTestId('input-note').filter({ hasText: '“€” is not part of the value: only the numbers are used, and results show no unit in any tab.' })).toHaveCount(1);
    // Each value reads back with its own unit (was “€72 · €70,000”).
    await input.fill('€72\n70000');
    await expect(read).toContainText('2 values read: €72 · 70,000');
    await input.fill('79 500');
    await expect(error).toContainText('"79 500" could be one number (79500) or two (79 and 500)');
    await input.fill('€72.000');
    await expect(page.getByTestId('input-warning').first()).toContainText('We read €72.000 as 72.000');
    await expect(page.getByTestId('ready')).toBeDisabled();
    await expect(read).toContainText('⚠');
    await expect(page.getByTestId('ready')).toBeDisabled();
  });

  await test.step('bad input shows why, keeps the text and blocks Ready', async () => {
    await input.fill('12 abc');
    await expect(error).toContainText('"abc" is not a number (value 2)');
    await expect(input).toHaveValue('12 abc');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('ready')).toBeDisabled();
  });

  await test.step('a pasted spreadsheet range with a header: the numeric column is used, undo restores the text', async () => {
    await input.fill('typed before');
    await paste(page, 'Region\tSales\nNorth\t1,250\nSouth\t3,400\n');
    await expect(input).toHaveValue('1,250\n3,400');
    await expect(page.getByTestId('column-picker')).toContainText('Using column “Sales” of the pasted range: 2 rows used (header row skipped).');
    await expect(read).toContainText('2 values read: 1,250 · 3,400');
    await page.getByRole('button', { name: 'Undo, restore what I typed' }).click();
    await expect(input).toHaveValue('typed before');
    await expect(page.getByTestId('column-picker')).toHaveCount(0);
    // An all-numeric range is used cell by cell, and a column can still be picked.
    await input.fill('');
    await paste(page, '1\t2\n3\t4\n');
    await expect(input).toHaveValue('1\n2\n3\n4');
    await page.getByTestId('input-column').selectOption({ label: 'Column B (2 values)' });
    await expect(input).toHaveValue('2\n4');
    // CSV text with a header row, pasted: offered as a table too.
    await input.fill('');
    await paste(page, 'name,salary\nAlice,52000\nBob,"1,250.50"\n');
    await expect(input).toHaveValue('52000\n1,250.50');
    await expect(page.getByTestId('column-picker')).toContainText('Using column “salary” of the pasted text: 2 rows used (header row skipped).');
  });

  await test.step('a CSV whose column has NA cells: the column is kept and the missing cells are counted', async () => {
    await input.fill('');
    await page.getByTestId('input-file').setInputFiles({ name: 'h.csv', mimeType: 'text/csv', buffer: Buffer.from('bp\n120\nNA\n130\n\n140\n') });
    await expect(input).toHaveValue('120\n130\n140');
    await expect(page.getByTestId('column-picker')).toContainText('Using column “bp” of h.csv: 3 of 4 rows used: 1 missing (NA) (header row skipped).');
    await page.getByTestId('input-file').setInputFiles({ name: 'na.csv', mimeType: 'text/csv', buffer: Buffer.from('name,bp\nA,NA\nB,NA\n') });
    await expect(page.getByTestId('input-file-error')).toContainText('na.csv has no column of numbers: “A” in “name” (row 2) is not a number; every cell of “bp” is missing (NA).');
  });

  await test.step('a chosen CSV file with two number columns: read locally, the person picks the column (keyboard)', async () => {
    await expect(page.getByTestId('input-drop')).toContainText('Read locally in this tab, never uploaded.');
    await page.getByTestId('input-file').setInputFiles({ name: 'pay.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await expect(page.getByTestId('input-column')).toBeFocused();
    await expect(page.getByTestId('column-picker')).toContainText('Several columns hold numbers: choose the one with your values.');
    await expect(input).toHaveValue('');
    await page.keyboard.press('ArrowDown');
    await expect(input).toHaveValue('52,000.50\n48,250.00\n61,000.00');
    await expect(read).toContainText('3 values read: 52,000.50 · 48,250.00 · 61,000.00');
    await page.keyboard.press('ArrowDown'); // keyboard choice of the next column
    await expect(input).toHaveValue('10\n20\n30');
    // The next file with a column of that name: that column, not the first.
    await page.getByTestId('input-file').setInputFiles({ name: 'pay2.csv', mimeType: 'text/csv', buffer: Buffer.from('name,salary,bonus\nDan,"50,000.00",40\n') });
    await expect(input).toHaveValue('40');
    await page.getByTestId('input-file').setInputFiles({ name: 'book.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\u0003\u0004') });
    await expect(page.getByTestId('input-file-error')).toContainText('Save it as CSV first');
  });

  await test.step('a CSV file dropped on the drop zone', async () => {
    await input.fill('');
    await page.getByTestId('input-drop').evaluate((zone) => {
      const data = new DataTransfer();
      data.items.add(new File(['Wert;Anzahl\n1.250,50;3\n2,5;4\n'], 'werte.csv', { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await expect(input).toHaveValue('');
    await page.getByTestId('input-column').selectOption({ label: 'Wert (2 values)' });
    await expect(input).toHaveValue('1.250,50\n2,5');
    await expect(read).toContainText('2 values read: 1,250.50 · 2.50');
    await expect(page.getByTestId('input-note').first()).toContainText('We read 1.250,50 as 1250.50');
    // Dropped on the text box instead of the zone: read the same way, and the page stays.
    await input.evaluate((box) => {
      const data = new DataTransfer();
      data.items.add(new File(['x\n7\n8\n'], 'x.csv', { type: 'text/csv' }));
      box.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      box.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await expect(input).toHaveValue('7\n8');
    await expect(page.getByTestId('room-link')).toBeVisible();
  });

  await test.step('Enter adds a line; Ctrl+Enter marks me ready; editing is locked until I un-ready', async () => {
    await input.fill('10');
    await input.press('End');
    await input.press('Enter');
    await input.pressSequentially('20');
    await expect(input).toHaveValue('10\n20');
    await input.press('Control+Enter');
    await expect(page.getByTestId('ready')).toHaveAttribute('aria-pressed', 'true');
    await expect(input).toHaveAttribute('readonly', '');
    await page.getByTestId('ready').click();
    await expect(page.getByTestId('ready')).toHaveAttribute('aria-pressed', 'false');
  });
  await context.close();
});

test('a name,email CSV for common items: the e-mail column is picked in each tab, and the common items equal the plaintext', async ({ browser }) => {
  test.setTimeout(180_000);
  const { parties } = await openRoom(browser, 2, 'psi');
  // Names first, as an address book exports them (was: the name column picked, “None of the
  // 3 lines is a valid e-mail address”).
  const books = [
    [['Ann', 'ann@example.org'], ['Bob', 'Bob@Example.org'], ['Carol', 'carol@example.org']],
    [['Carol C.', 'carol@example.org'], ['Bob B.', 'bob@example.org'], ['Dan', 'dan@example.org']],
  ];
  for (const [i, p] of parties.entries()) {
    const csv = `name,email\n${books[i].map((r) => r.join(',')).join('\n')}\n`;
    await p.page.getByTestId('input-file').setInputFiles({ name: `contacts-${i}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(p.page.getByTestId('private-input')).toHaveValue(books[i].map((r) => r[1]).join('\n'));
    await expect(p.page.getByTestId('column-picker')).toContainText('“email”');
    await expect(p.page.getByTestId('input-error')).toHaveCount(0);
    await p.page.getByTestId('ready').click();
  }
  await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(2);
  await parties[0].page.getByTestId('start').click();
  const normalised = books.map((b) => new Set(b.map((r) => r[1].toLowerCase())));
  const common = [...normalised[0]].filter((e) => normalised[1].has(e)).sort();
  expect(common).toEqual(['bob@example.org', 'carol@example.org']);
  for (const p of parties) {
    const r = (await readResult(p)) as unknown as { value: string[] };
    expect([...r.value].sort()).toEqual(common);
  }
  await closeAll(parties);
});
