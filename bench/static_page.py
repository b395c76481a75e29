"""Baseline for bench_app.py: the smallest Streamlit page (a title and a line of text), served
the same way, so that page timings can be given as ratios to what Streamlit itself costs."""

import streamlit as st

st.title("基准页面 baseline")
st.write("static")
