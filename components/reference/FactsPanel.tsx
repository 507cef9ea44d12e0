/** A reference page's facts (a right holder's, a district's) as a labelled list. */
export function FactsPanel({ id, title, facts }: { id: string; title: string; facts: [string, React.ReactNode][] }) {
  return (
    <section className="panel ref-facts" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <dl className="fields ref-fields">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
