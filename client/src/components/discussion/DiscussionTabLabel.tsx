/** The Discussion tab's label with the case's unread count ("Discussion, 3 unread" to screen readers). */
export function DiscussionTabLabel({ unread }: { unread: number }) {
  return (
    <>
      Discussion
      {unread > 0 && (
        <span className="tab-count">
          <span className="visually-hidden">, </span>
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </>
  );
}
