import { UpdateBanner } from './features/app-shell/UpdateBanner';
import { ImageBar, ImageFileInput, usePageImageIntake } from './features/image-input/ImageInput';
import { ModelArea } from './features/model/ModelArea';
import { ResultsPanel } from './features/results/ResultsPanel';
import { RunMessages, TaskBar, TaskOptions } from './features/task/TaskPanel';
import { ImageViewer } from './features/viewer/ImageViewer';

export function App() {
  const dragging = usePageImageIntake();
  return (
    <div className={`app${dragging ? ' dragging' : ''}`}>
      <UpdateBanner />
      <header className="app-header">
        <h1>Florence-2 Web</h1>
        <p>Captions, text reading and object detection, computed entirely in your browser.</p>
      </header>
      <main className="layout">
        <div className="workspace">
          <TaskBar />
          <ImageViewer />
          <ImageBar />
        </div>
        <div className="side">
          <div className="model-slot">
            <ModelArea />
          </div>
          <RunMessages />
          <ResultsPanel />
          <TaskOptions />
        </div>
      </main>
      <ImageFileInput />
      {dragging && (
        <div className="drop-hint" aria-hidden="true">
          Drop the image to open it
        </div>
      )}
    </div>
  );
}
