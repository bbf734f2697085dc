// Steps rrweb's Replayer by the renderer's clock. Java calls truffles.load() once, then truffles.frame(offsetMs, marker)
// for each video frame; it answers whether anything visible changed, so unchanged frames are not captured again.
//
// Stepping is incremental: each frame applies only the events since the previous frame, the way rrweb's own
// Replayer.play(t) applies the events before t (applyEventsSynchronously, then a Flush). Replayer.pause(t) instead
// walks every event of the recording and queues a timer action for each later one, so its cost grows with the
// session's length (hours of session: minutes per frame at the end).
(function () {
  const MOUSE_MOVE = 1, MOUSE_INTERACTION = 2, TOUCH_MOVE = 6, CLICK = 2, TOUCH_START = 7;
  const CLICK_MS = 500;
  let replayer, events, start, next = 0, scale = 1, cursor = null, cursorDrawn = null, clicks = [], markerText = null;
  const stage = document.getElementById('stage');

  function place(el, x, y) {
    el.style.left = (x * scale) + 'px';
    el.style.top = (y * scale) + 'px';
  }

  window.truffles = {
    /** One video frame: the marker shown (or null) and the replay clock; answers whether the picture changed. */
    frame(offsetMs, markerText) {
      const markerChanged = this.marker(markerText);
      return this.step(offsetMs) || markerChanged;
    },

    async load(width, height, outWidth, outHeight) {
      events = await (await fetch('events.json')).json();
      start = events[0].timestamp;
      scale = Math.min(outWidth / width, outHeight / height);
      stage.style.transform = 'scale(' + scale + ')';
      replayer = new rrweb.Replayer(events, {
        root: stage, speed: 1, skipInactive: false, showWarning: false, showDebug: false, mouseTail: false,
        triggerFocus: false, UNSAFE_replayCanvas: false, liveMode: false, useVirtualDom: false,
      });
      replayer.on('resize', (size) => {
        scale = Math.min(outWidth / size.width, outHeight / size.height);
        stage.style.transform = 'scale(' + scale + ')';
      });
      // Paused before anything plays: the page's CSS animations stay frozen (rrweb's "rrweb-paused" class).
      replayer.pause();
      // The Replayer builds the first snapshot in a timer of its own; let it run so it is not built twice.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { events: events.length, scale };
    },

    step(offsetMs) {
      const until = start + offsetMs;
      let changed = false;
      const batch = [];
      while (next < events.length && events[next].timestamp <= until) {
        const event = events[next++];
        batch.push(event);
        changed = true;
        if (event.type !== 3) continue;
        const data = event.data;
        if ((data.source === MOUSE_MOVE || data.source === TOUCH_MOVE) && data.positions && data.positions.length) {
          const last = data.positions[data.positions.length - 1];
          cursor = { x: last.x, y: last.y };
        } else if (data.source === MOUSE_INTERACTION && typeof data.x === 'number') {
          cursor = { x: data.x, y: data.y };
          if (data.type === CLICK || data.type === TOUCH_START) clicks.push({ x: data.x, y: data.y, at: event.timestamp });
        }
      }
      if (batch.length) {
        replayer.applyEventsSynchronously(batch);
        replayer.emitter.emit('flush');
      }
      // Clicks show as a ring for CLICK_MS of replay time.
      const live = clicks.filter((click) => until - click.at < CLICK_MS);
      if (live.length !== clicks.length || live.length) changed = changed || live.length !== clicks.length;
      if (live.length !== clicks.length || changed) {
        const layer = document.getElementById('clicks');
        layer.textContent = '';
        for (const click of live) {
          const ring = document.createElement('div');
          ring.className = 'click';
          place(ring, click.x, click.y);
          layer.appendChild(ring);
        }
      }
      clicks = live;
      if (cursor && (!cursorDrawn || cursorDrawn.x !== cursor.x || cursorDrawn.y !== cursor.y)) {
        const el = document.getElementById('cursor');
        el.style.display = 'block';
        place(el, cursor.x, cursor.y);
        cursorDrawn = { x: cursor.x, y: cursor.y };
        changed = true;
      }
      return changed;
    },

    /** Plays in real time like rrweb's own rrvideo does: the benchmark's baseline, never used to render. */
    playRealTime() {
      replayer.play(0);
    },

    marker(text) {
      if (text === markerText) return false;
      const el = document.getElementById('marker');
      el.textContent = text || '';
      el.style.display = text ? 'block' : 'none';
      markerText = text;
      return true;
    },
  };
})();
