#!/usr/bin/env node
import '../dist/herald.js';
