"""Second baseline for bench_start.py: the static page with a two-row table and a select box,
the elements the app's default page opens with. On a first visit the browser loads Streamlit's
table component too (seconds on this machine), which a page without a table never pays."""

import streamlit as st

st.title("基准页面 baseline")
st.dataframe([{"id": "audit", "title": "容错纠错机制实施办法"}, {"id": "guian", "title": "贵安新区容错纠错实施办法(试行)"}])
st.selectbox("办法", ["audit", "guian"])
