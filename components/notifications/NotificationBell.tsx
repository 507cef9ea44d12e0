import Link from "next/link";

/** The header's bell: a link to /notifications with the unread count (compact: one icon and a number). */
export function NotificationBell({ count, label, unreadLabel }: { count: number; label: string; unreadLabel: string | null }) {
  return (
    <Link href="/notifications" className="bell" aria-label={unreadLabel ?? label} title={unreadLabel ?? label} data-testid="bell">
      <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      {count > 0 && (
        <span className="bell-count" aria-hidden="true" data-testid="bell-count">
          {count > 99 ? "99+" : count}
        </span>
      )}
    </Link>
  );
}
