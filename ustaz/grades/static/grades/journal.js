// The journal grid: each cell is saved when it changes (one request at a time per row, so the row's
// results always come from its latest values); move like a spreadsheet; paste a column; say when a save did
// not reach the server, and try it again.
const table = document.getElementById("journal");
const body = table.tBodies[0];
const cellUrl = table.dataset.cellUrl;
const queues = new WeakMap();

function inputAt(rowIndex, cellIndex) {
  const row = body.rows[rowIndex];
  return row && row.cells[cellIndex] ? row.cells[cellIndex].querySelector("input.ji") : null;
}

function save(input) {
  const cell = input.closest("td");
  const row = cell.parentElement;
  const reason = document.getElementById("locked-reason");
  const values = { item: input.dataset.i, student: row.dataset.s, value: input.value };
  if (reason) values.reason = reason.value;
  const previous = queues.get(row) || Promise.resolve();
  const next = previous
    .catch(() => {})
    .then(() => htmx.ajax("POST", cellUrl, { source: cell, target: cell, swap: "outerHTML", values }))
    .catch(() => {
      // Not saved: the cell keeps what was typed, marked, and the save is tried again.
      input.classList.add("is-invalid");
      input.title = table.dataset.unsaved;
      setTimeout(() => save(input), 3000);
    });
  queues.set(row, next);
}

// A refused value answers 400 with the cell and its reason: show it like any answer.
table.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

table.addEventListener("change", (event) => {
  if (event.target.matches("input.ji")) save(event.target);
});

const MOVES = { ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

table.addEventListener("keydown", (event) => {
  const input = event.target.closest("input.ji");
  const move = input && MOVES[event.key];
  if (!move) return;
  // Left and right move between cells only from the edge of the text, as in a spreadsheet.
  if (event.key === "ArrowLeft" && input.selectionStart > 0) return;
  if (event.key === "ArrowRight" && input.selectionEnd < input.value.length) return;
  event.preventDefault();
  const cell = input.closest("td");
  let row = cell.parentElement.sectionRowIndex;
  let column = cell.cellIndex;
  for (;;) {
    row += move[0];
    column += move[1];
    if (row < 0 || row >= body.rows.length || column < 0 || column >= body.rows[row].cells.length) {
      // At the edge of the grid the value is still saved, as when leaving the cell.
      input.blur();
      input.focus();
      return;
    }
    const next = inputAt(row, column);
    if (next) {
      next.focus();
      next.select();
      return;
    }
  }
});

table.addEventListener("paste", (event) => {
  const input = event.target.closest("input.ji");
  if (!input) return;
  const lines = event.clipboardData.getData("text").replace(/\r?\n$/, "").split(/\r?\n/);
  if (lines.length < 2) return;
  event.preventDefault();
  const cell = input.closest("td");
  let row = cell.parentElement.sectionRowIndex;
  for (const line of lines) {
    const target = inputAt(row, cell.cellIndex);
    if (!target) break;
    target.value = line.split("\t")[0].trim();
    save(target);
    row += 1;
  }
});
