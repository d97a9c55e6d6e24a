'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  left: ReactNode;
  right: ReactNode;
  storageKey: string;
}

const clamp = (v: number) => Math.min(0.8, Math.max(0.2, v));

/** Two panes with a draggable (and keyboard-movable) divider; the ratio is remembered per browser. */
export function SplitPane({ left, right, storageKey }: Props) {
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

  return (
    <div
      className="split"
      ref={container}
      onPointerMove={onPointerMove}
      onPointerUp={() => (dragging.current = false)}
      style={{ gridTemplateColumns: `${ratio}fr 6px ${1 - ratio}fr` }}
    >
      <div className="split-pane">{left}</div>
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
      <div className="split-pane">{right}</div>
    </div>
  );
}
