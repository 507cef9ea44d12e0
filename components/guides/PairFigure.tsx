import type { GuidePair } from "@/db/repo/guides";
import type { Marker, MarkerSide } from "@/lib/guides";
import { latinLang } from "@/lib/format";

// One genuine-versus-fake pair, side by side, with its markers drawn over each picture as
// numbered dots (their labels listed under the picture, so the numbers are read, not guessed).
// A server component: the viewer needs no script.

export type PairLabels = { genuine: string; fake: string; feature: string; caption: string | null; markersOf: (side: string) => string };

export function imageUrl(guideId: number, pairId: number, side: MarkerSide, thumbnail = false): string {
  return `/api/guides/${guideId}/pairs/${pairId}/${side}${thumbnail ? "?thumbnail" : ""}`;
}

export function MarkedPicture({ guideId, pair, side, alt, markers }: { guideId: number; pair: GuidePair; side: MarkerSide; alt: string; markers: (Marker & { n: number })[] }) {
  const size = pair[side];
  return (
    <div className="guide-picture">
      {/* eslint-disable-next-line @next/next/no-img-element -- a stored file, served by the API with its own access checks */}
      <img src={imageUrl(guideId, pair.id, side)} alt={alt} width={size.width} height={size.height} loading="lazy" />
      {markers.map((m) => (
        <span key={m.n} className={`guide-marker guide-marker-${side}`} style={{ left: `${m.x}%`, top: `${m.y}%` }} aria-hidden="true">
          {m.n}
        </span>
      ))}
    </div>
  );
}

export function PairFigure({ guideId, pair, labels }: { guideId: number; pair: GuidePair; labels: PairLabels }) {
  const numbered = pair.markers.map((m, i) => ({ ...m, n: i + 1 }));
  const sides: MarkerSide[] = ["genuine", "fake"];
  return (
    <figure className="guide-pair" data-testid="guide-pair" data-pair={pair.id}>
      <div className="guide-pair-sides">
        {sides.map((side) => {
          const mine = numbered.filter((m) => m.side === side);
          return (
            <div key={side} className={`guide-side guide-side-${side}`}>
              <p className="guide-side-title">{side === "genuine" ? labels.genuine : labels.fake}</p>
              <MarkedPicture guideId={guideId} pair={pair} side={side} alt={`${side === "genuine" ? labels.genuine : labels.fake}: ${labels.feature}`} markers={mine} />
              {mine.length > 0 && (
                <ol className="guide-marker-list" aria-label={labels.markersOf(side === "genuine" ? labels.genuine : labels.fake)}>
                  {mine.map((m) => (
                    <li key={m.n} value={m.n} lang={latinLang(m.label)}>
                      {m.label}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          );
        })}
      </div>
      <figcaption>
        <strong>{labels.feature}</strong>
        {labels.caption ? ` · ${labels.caption}` : null}
      </figcaption>
    </figure>
  );
}
