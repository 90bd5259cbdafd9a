// How big each picture is for the room the trainer has: pure (tested). The
// first screen (the buttons, the figures, the plane and the network) must fit
// a 1024x768 window in JupyterLab with its file browser open (about 590 px of
// width and 560 px of height for the output); the curves take a third column
// when there is room for one, else a row below.

const GAP = 10;
const BORDER = 2; // a picture's 1 px border on either side
const PLANE = [220, 340]; // the plane's side: at least, at most
const NETWORK_SHARE = 0.94; // the network's width for the plane's side
const CURVE = [200, 300]; // a curve's width: at least, at most
const CURVE_HEIGHT = 0.4; // of its width

/**
 * @typedef {object} Sizes
 * @property {number} plane  the plane's side
 * @property {[number, number]} network
 * @property {[number, number]} curve  each of the two curves
 * @property {boolean} curves_beside  a third column (else a row below the plane)
 */

/**
 * The pictures' sizes for a trainer `width` px wide (presenter mode: as big as the room allows).
 * @param {number} width
 * @param {boolean} [presenter]
 * @returns {Sizes}
 */
export function sizes(width, presenter = false) {
  const w = Math.max(2 * PLANE[0] + GAP, width || 0);
  const top = presenter ? 420 : PLANE[1];
  // three columns when the curves keep their least width beside plane and network
  const three = Math.min(top, Math.floor((w - 2 * GAP - 3 * BORDER - CURVE[0]) / (1 + NETWORK_SHARE)));
  if (three >= 260) {
    const plane = three;
    const network = Math.floor(plane * NETWORK_SHARE);
    const curve_w = Math.max(CURVE[0], Math.min(CURVE[1], w - plane - network - 2 * GAP - 3 * BORDER));
    return {
      plane,
      network: [network, plane],
      curve: [curve_w, Math.round(curve_w * CURVE_HEIGHT)],
      curves_beside: true,
    };
  }
  const plane = Math.max(PLANE[0], Math.min(top, Math.floor((w - GAP - 2 * BORDER) / (1 + NETWORK_SHARE))));
  const network = Math.floor(plane * NETWORK_SHARE);
  const curve_w = Math.max(CURVE[0], Math.min(CURVE[1], Math.floor((w - GAP - 2 * BORDER) / 2)));
  return {
    plane,
    network: [network, plane],
    curve: [curve_w, Math.round(curve_w * CURVE_HEIGHT)],
    curves_beside: false,
  };
}
