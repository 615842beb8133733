import { useEffect } from 'react';

/** Sets the document title to "<title> · Consilium" while the screen is shown. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Consilium` : 'Consilium';
  }, [title]);
}
