export default { render({ el }) { el.textContent = "trainer"; } };
