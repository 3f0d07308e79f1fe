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

for (const [token, spec] of TASKS) $('task').add(new Option(spec.label, token));

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
