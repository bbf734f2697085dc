import { useCallback, useEffect, useRef, useState } from 'react';
import { rememberSpeed, rememberedSpeed } from './playbackSpeed';

/** The renderer's default frame rate (renderer/README): one frame step is one captured frame. */
export const FRAME_SECONDS = 1 / 5;

/** The <video>'s state as React state, and what the controls do to it. */
export function usePlayback() {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [currentTime, setCurrentTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [paused, setPaused] = useState(true);
  const [ended, setEnded] = useState(false);
  const [speed, setSpeedState] = useState(rememberedSpeed);

  // while playing, follow the playhead every frame (timeupdate alone fires only ~4 times a second)
  useEffect(() => {
    if (paused) return;
    let frame = 0;
    const tick = () => {
      const video = videoRef.current;
      if (video) setCurrentTime(video.currentTime);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [paused]);

  const seek = useCallback((time: number) => {
    const video = videoRef.current;
    if (!video) return;
    const end = Number.isFinite(video.duration) ? video.duration : time;
    const target = Math.min(Math.max(0, time), end);
    video.currentTime = target;
    setCurrentTime(target);
    setEnded(false);
  }, []);

  const play = useCallback(() => {
    const video = videoRef.current;
    if (!video) return;
    if (video.ended) video.currentTime = 0;
    void video.play().catch(() => undefined);
  }, []);

  const toggle = useCallback(() => {
    const video = videoRef.current;
    if (!video) return;
    if (video.paused || video.ended) play();
    else video.pause();
  }, [play]);

  const step = useCallback((direction: 1 | -1) => {
    const video = videoRef.current;
    if (!video || !video.paused) return;
    seek(video.currentTime + direction * FRAME_SECONDS);
  }, [seek]);

  const setSpeed = useCallback((value: number) => {
    setSpeedState(value);
    rememberSpeed(value);
    if (videoRef.current) videoRef.current.playbackRate = value;
  }, []);

  /** Event handlers for the <video>. */
  const videoEvents = {
    onPlay: () => { setPaused(false); setEnded(false); },
    onPause: () => setPaused(true),
    onEnded: () => { setEnded(true); setPaused(true); },
    onTimeUpdate: (event: React.SyntheticEvent<HTMLVideoElement>) => setCurrentTime(event.currentTarget.currentTime),
    onSeeked: (event: React.SyntheticEvent<HTMLVideoElement>) => setCurrentTime(event.currentTarget.currentTime),
    onDurationChange: (event: React.SyntheticEvent<HTMLVideoElement>) => {
      const value = event.currentTarget.duration;
      if (Number.isFinite(value)) setDuration(value);
    },
  };

  return { videoRef, currentTime, duration, paused, ended, speed, seek, play, toggle, step, setSpeed, videoEvents };
}
