const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parts(ms: number) {
  const date = new Date(ms);
  const pad = (value: number) => String(value).padStart(2, '0');
  return {
    day: days[date.getUTCDay()] ?? '',
    month: months[date.getUTCMonth()] ?? '',
    date: date.getUTCDate(),
    year: date.getUTCFullYear(),
    time: `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`,
  };
}

/** IOS style: `04:50:00 UTC Fri Dec 4 2026`. */
export function iosTime(ms: number): string {
  const p = parts(ms);
  return `${p.time} UTC ${p.day} ${p.month} ${p.date} ${p.year}`;
}

/** ctime style, as NX-OS prints it: `Fri Dec  4 04:50:00 2026`. */
export function ctime(ms: number): string {
  const p = parts(ms);
  return `${p.day} ${p.month} ${String(p.date).padStart(2, ' ')} ${p.time} ${p.year}`;
}
