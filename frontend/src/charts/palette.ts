/** Colours shared by charts and tables, so that a bucket looks the same everywhere. */
export const AGING_COLORS: Record<string, string> = {
  '1-30': '#e6a23c',
  '31-90': '#f0803c',
  '91-180': '#e4554f',
  '180+': '#a3191e',
};

export const SERIES_COLORS = ['#c0392b', '#2f6fb3', '#3a9e6d', '#d4a017', '#7b5ea7', '#3fa7b5', '#e07b39', '#8c8c8c'];

export const COLOR = {
  primary: '#c0392b',
  covered: '#2f6fb3',
  open: '#d9dde3',
  closed: '#3a9e6d',
  pace: '#e07b39',
  repeat: '#7b5ea7',
  rebound: '#c0392b',
};
