export default { render({ el }) { el.textContent = "graph"; } };
