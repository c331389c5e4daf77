// Draws an operator's attention to a new alarm: a beep made with WebAudio (no sound file to
// load) and a blinking tab title that keeps going until someone interacts with the page.
import { t } from './i18n.js';

let audio = /** @type {AudioContext | null} */ (null);
let soundOn = localStorage.getItem('centinela.sound') !== 'off';
let blinkTimer = /** @type {number | undefined} */ (undefined);
let unseen = 0;
const baseTitle = () => t('app.name');
/** @type {Set<() => void>} */
const soundListeners = new Set();

function context() {
  if (!audio) audio = new AudioContext();
  return audio;
}

/** Browsers keep audio suspended until a gesture; the first key or click unlocks it. */
export function unlockAudioOnGesture() {
  // Created now so the state is known at once: running where autoplay is allowed, else suspended.
  if (soundOn) context().addEventListener('statechange', notifySound);
  const unlock = () => {
    if (soundOn) context().resume().then(notifySound, notifySound);
  };
  window.addEventListener('pointerdown', unlock, { capture: true });
  window.addEventListener('keydown', unlock, { capture: true });
}

export const soundState = () => (!soundOn ? 'off' : audio && audio.state === 'running' ? 'on' : 'blocked');

export function toggleSound() {
  soundOn = !soundOn;
  localStorage.setItem('centinela.sound', soundOn ? 'on' : 'off');
  if (soundOn) context().resume().then(notifySound, notifySound);
  notifySound();
}

/** @param {() => void} fn */
export const onSoundChange = (fn) => soundListeners.add(fn);
const notifySound = () => {
  for (const fn of soundListeners) fn();
};

/** Three short two-tone beeps: distinct from a phone's ring, not shrill. */
export function beep() {
  if (!soundOn) return;
  const ctx = context();
  if (ctx.state !== 'running') return;
  const start = ctx.currentTime + 0.02;
  for (let i = 0; i < 3; i += 1) {
    for (const [offset, freq] of [
      [0, 880],
      [0.16, 660],
    ]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      osc.type = 'sine';
      const at = start + i * 0.5 + offset;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.14);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 0.15);
    }
  }
}

/** A new alarm arrived: blink the title until someone looks. */
export function alertNewAlarm() {
  unseen += 1;
  beep();
  if (blinkTimer !== undefined) return;
  let on = false;
  blinkTimer = window.setInterval(() => {
    on = !on;
    document.title = on ? t('title.alert', { count: unseen }) : baseTitle();
  }, 800);
  document.title = t('title.alert', { count: unseen });
}

export const isBlinking = () => blinkTimer !== undefined;

/** Someone looked: a key, a click or a touch on a visible page. */
export function acknowledgeAttention() {
  if (blinkTimer === undefined) return;
  window.clearInterval(blinkTimer);
  blinkTimer = undefined;
  unseen = 0;
  document.title = baseTitle();
}

export function watchForLooks() {
  const looked = () => {
    if (document.visibilityState === 'visible') acknowledgeAttention();
  };
  window.addEventListener('pointerdown', looked);
  window.addEventListener('keydown', looked);
}
