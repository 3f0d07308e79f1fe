import { UpdateBanner } from './features/app-shell/UpdateBanner';
import { ImageInput } from './features/image-input/ImageInput';
import { ModelPanel } from './features/model/ModelPanel';
import { ResultsPanel } from './features/results/ResultsPanel';
import { TaskPanel } from './features/task/TaskPanel';
import { ImageViewer } from './features/viewer/ImageViewer';

export function App() {
  return (
    <div className="app">
      <UpdateBanner />
      <header className="app-header">
        <h1>Florence-2 Web</h1>
        <p>Captions, text reading and object detection, computed entirely in your browser.</p>
      </header>
      <main className="layout">
        <aside className="sidebar">
          <ModelPanel />
          <ImageInput />
          <TaskPanel />
        </aside>
        <div className="content">
          <ImageViewer />
          <ResultsPanel />
        </div>
      </main>
    </div>
  );
}
