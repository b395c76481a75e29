"""The measures as RDF: IRIs, generating the graph from parsed measures, building it, the
stores behind one interface (embedded pyoxigraph, on disk, any SPARQL server), loading a
server, the named queries, the OWL reasoner."""
