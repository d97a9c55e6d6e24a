'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

export type PaneName = 'lesson' | 'terminal';

interface Props {
  left: ReactNode;
  right: ReactNode;
  storageKey: string;
  /** On narrow screens only one pane shows at a time; this is the one (tabs switch it). */
  active: PaneName;
  onActivate: (pane: PaneName) => void;
}

const clamp = (v: number) => Math.min(0.8, Math.max(0.2, v));

/**
 * Two panes with a draggable (and keyboard-movable) divider; the ratio is remembered per browser.
 * Below 760 px (CSS decides) the panes become two tabs, so neither is squeezed and nothing scrolls sideways.
 */
export function SplitPane({ left, right, storageKey, active, onActivate }: Props) {
  const [ratio, setRatio] = useState(0.45);
  const container = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  useEffect(() => {
    const saved = Number(window.localStorage.getItem(storageKey));
    if (saved > 0) setRatio(clamp(saved));
  }, [storageKey]);

  const update = useCallback(
    (next: number) => {
      const value = clamp(next);
      setRatio(value);
      window.localStorage.setItem(storageKey, String(value));
    },
    [storageKey],
  );

  const onPointerMove = (e: React.PointerEvent) => {
    if (!dragging.current || !container.current) return;
    const box = container.current.getBoundingClientRect();
    update((e.clientX - box.left) / box.width);
  };

  const tab = (pane: PaneName, label: string) => (
    <button
      type="button"
      role="tab"
      id={`pane-tab-${pane}`}
      aria-selected={active === pane}
      aria-controls={`pane-${pane}`}
      className="pane-tab"
      data-test={`pane-tab-${pane}`}
      onClick={() => onActivate(pane)}
    >
      {label}
    </button>
  );

  return (
    <>
      <div className="pane-tabs" role="tablist" aria-label="Show the lesson or the terminal">
        {tab('lesson', 'Lesson')}
        {tab('terminal', 'Terminal')}
      </div>
      <div
        className="split"
        ref={container}
        data-active={active}
        onPointerMove={onPointerMove}
        onPointerUp={() => (dragging.current = false)}
        style={{ ['--split-columns' as string]: `${ratio}fr 6px ${1 - ratio}fr` }}
      >
        <div className="split-pane split-pane-lesson" id="pane-lesson" data-test="pane-lesson">
          {left}
        </div>
        <div
          className="split-divider"
          role="separator"
          aria-orientation="vertical"
          aria-valuenow={Math.round(ratio * 100)}
          aria-valuemin={20}
          aria-valuemax={80}
          aria-label="Resize lesson and terminal"
          tabIndex={0}
          data-test="split-divider"
          onPointerDown={(e) => {
            dragging.current = true;
            (e.target as HTMLElement).setPointerCapture(e.pointerId);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowLeft') update(ratio - 0.05);
            if (e.key === 'ArrowRight') update(ratio + 0.05);
          }}
        />
        <div className="split-pane split-pane-terminal" id="pane-terminal" data-test="pane-terminal">
          {right}
        </div>
      </div>
    </>
  );
}
