"""Case records decided against each measure's shapes: reading records, shapes compiled to
SPARQL, shapes generated from annotations, the report."""
