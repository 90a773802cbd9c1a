// The journal grid: move like a spreadsheet, paste a column, and say when a save did not reach the server.
const table = document.getElementById("journal");
const body = table.tBodies[0];

function inputAt(rowIndex, cellIndex) {
  const row = body.rows[rowIndex];
  return row && row.cells[cellIndex] ? row.cells[cellIndex].querySelector("input.journal-input") : null;
}

const MOVES = { ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

table.addEventListener("keydown", (event) => {
  const input = event.target.closest("input.journal-input");
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
      input.dispatchEvent(new Event("change", { bubbles: true }));
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
  const input = event.target.closest("input.journal-input");
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
    target.dispatchEvent(new Event("change", { bubbles: true }));
    row += 1;
  }
});

// A save that never reached the server keeps its value in the cell, marked, and is tried again.
document.body.addEventListener("htmx:sendError", (event) => {
  const input = event.detail.elt;
  if (!input.classList || !input.classList.contains("journal-input")) return;
  input.classList.add("is-invalid");
  input.title = table.dataset.unsaved;
  setTimeout(() => input.dispatchEvent(new Event("change", { bubbles: true })), 3000);
});
