// The library, from where this site serves its build. From npm: import { createFlorence2 } from 'florence2-web';
import { createFlorence2, TASKS } from '../lib/florence2.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
// Any model name, Hub id or folder URL; `?model=` picks another.
const florence = createFlorence2({
  model: params.get('model') ?? 'florence-2-base-ft',
  onProgress: (progress) => {
    $('status').textContent = `Loading the model: ${progress.phase}…`;
  },
});

// Region tasks need a rectangle drawn on the picture, which this short example does not offer.
for (const [token, spec] of TASKS) if (spec.input !== 'region') $('task').add(new Option(spec.label, token));

// A picture to start with, drawn here: a sky, a sun and a house.
const canvas = $('picture');
const context = canvas.getContext('2d');
context.fillStyle = '#9fd3f5';
context.fillRect(0, 0, 320, 240);
context.fillStyle = '#f7c948';
context.beginPath();
context.arc(260, 50, 28, 0, Math.PI * 2);
context.fill();
context.fillStyle = '#b5523b';
context.fillRect(70, 120, 120, 100);
context.fillStyle = '#5c3d2e';
context.fillRect(115, 170, 30, 50);

let picture = canvas;
$('file').addEventListener('change', () => {
  const file = $('file').files?.[0];
  if (!file) return;
  picture = file;
  createImageBitmap(file).then(
    (bitmap) => {
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      context.drawImage(bitmap, 0, 0);
    },
    () => {},
  );
});

// The answer's regions over a copy of the picture; coordinates are in the picture's pixels.
function drawRegions(regions) {
  const drawn = $('drawn');
  drawn.hidden = regions.length === 0;
  if (!regions.length) return;
  drawn.width = canvas.width;
  drawn.height = canvas.height;
  const pen = drawn.getContext('2d');
  pen.drawImage(canvas, 0, 0);
  pen.lineWidth = Math.max(2, canvas.width / 200);
  pen.strokeStyle = '#e0197d';
  pen.fillStyle = '#e0197d';
  pen.font = `${Math.max(12, canvas.width / 40)}px system-ui, sans-serif`;
  for (const region of regions) {
    const rings =
      region.kind === 'box' ? [boxCorners(region.box)] : region.kind === 'quad' ? [region.points] : region.rings;
    pen.beginPath();
    for (const ring of rings) {
      ring.forEach((point, index) => {
        if (index) pen.lineTo(point.x, point.y);
        else pen.moveTo(point.x, point.y);
      });
      pen.closePath();
    }
    pen.stroke();
    const first = rings[0]?.[0];
    if (first && region.label) pen.fillText(region.label, first.x + 4, first.y + 16);
  }
}

const boxCorners = ([x1, y1, x2, y2]) => [
  { x: x1, y: y1 },
  { x: x2, y: y1 },
  { x: x2, y: y2 },
  { x: x1, y: y2 },
];

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('run').disabled = true;
  $('answer-text').textContent = '';
  try {
    const answer = await florence.run($('task').value, picture, {
      text: $('text').value,
      onToken: (text) => {
        $('answer-text').textContent = text;
      },
    });
    $('answer-text').textContent = answer.text;
    drawRegions(answer.regions);
    $('answer-json').textContent = JSON.stringify(answer.reference, null, 2);
    $('status').textContent =
      `Answered in ${Math.round(answer.timings.totalMs)} ms on ${florence.state.model?.plan.device}.`;
  } catch (error) {
    // Florence2Error: a code and a sentence to show.
    $('status').textContent = error.message;
  } finally {
    $('run').disabled = false;
  }
});
