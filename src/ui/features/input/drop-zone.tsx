/**
 * Choose or drop a CSV file. The file is read in this tab with FileReader; it is never
 * uploaded. A real <input type="file"> sits inside, so keyboard and screen-reader users
 * get the browser's own file chooser.
 */
import { useState, type DragEvent } from 'react';

export function DropZone({ disabled, onFile }: { disabled: boolean; onFile: (file: File) => void }) {
  const [over, setOver] = useState(false);
  const accept = (e: DragEvent) => {
    if (disabled || !Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  };
  return (
    <div className={`drop-zone${over ? ' over' : ''}${disabled ? ' disabled' : ''}`} data-testid="input-drop" onDragOver={accept} onDragEnter={accept} onDragLeave={() => setOver(false)} onDrop={drop}>
      <span aria-hidden="true" className="drop-icon">⇪</span>
      <span>
        Drop a CSV file here, or{' '}
        <label className="file-label">
          choose a file
          <input
            type="file"
            data-testid="input-file"
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
            disabled={disabled}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) onFile(file);
              e.target.value = ''; // choosing the same file again still fires change
            }}
          />
        </label>
        .{' '}
        <strong className="local">Read locally in this tab, never uploaded.</strong>
      </span>
    </div>
  );
}
