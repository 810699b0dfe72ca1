// Runs first, as a classic script in <head>, so the page is never drawn in the wrong theme: the
// reader's own choice (the toggle in main.js, kept in localStorage) overrides the system's
// (prefers-color-scheme, which style.css follows through color-scheme and light-dark()).
try {
  const theme = localStorage.getItem('pressmark-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // storage refused: follow the system
}
